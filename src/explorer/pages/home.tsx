// The landing page: explanation search with results, and the models to browse.
import type { SearchOutcome } from "../api-client";
import type { ModelSummary } from "../data";
import { Field, Layout, featurePath, fmt } from "../layout";

export interface HomeProps {
  models: ModelSummary[];
  query: { q: string; model: string; mode: string };
  outcome: SearchOutcome | null;
}

const MODES = [
  ["hybrid", "Hybrid"],
  ["semantic", "Semantic"],
  ["lexical", "Lexical"],
] as const;

export function HomePage({ models, query, outcome }: HomeProps) {
  return (
    <Layout title={query.q ? `Search: ${query.q}` : "Search"}>
      <h1>Find features by what they mean</h1>
      <p class="sub">Search the explanations of SAE latents and MLP neurons, then follow a latent to its matches in other layers.</p>
      <form class="inline" method="get" action="/" role="search">
        <Field id="q" label="Explanation search">
          <input type="search" id="q" name="q" value={query.q} maxlength={500} placeholder="e.g. legal citations and court cases" />
        </Field>
        <Field id="model" label="Model">
          <select id="model" name="model">
            <option value="">All models</option>
            {models.map((m) => (
              <option value={m.id} selected={m.id === query.model}>{m.displayName ?? m.id}</option>
            ))}
          </select>
        </Field>
        <Field id="mode" label="Mode">
          <select id="mode" name="mode">
            {MODES.map(([value, label]) => (
              <option value={value} selected={value === query.mode}>{label}</option>
            ))}
          </select>
        </Field>
        <button type="submit">Search</button>
      </form>
      {outcome && <Results outcome={outcome} q={query.q} />}
      <h2>Models</h2>
      {models.length === 0 ? (
        <p class="note">No model is loaded yet. Ingest a bundle with <code>npm run ingest -- &lt;dir&gt;</code>.</p>
      ) : (
        <ul>
          {models.map((m) => (
            <li>
              <a href={`/models/${encodeURIComponent(m.id)}`}>{m.displayName ?? m.id}</a>
              {m.nLayers !== null && <span class="note"> · {m.nLayers} layers</span>}
              {" · "}
              <a href={`/models/${encodeURIComponent(m.id)}/tokens`}>token lookup</a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function Results({ outcome, q }: { outcome: SearchOutcome; q: string }) {
  if (outcome.error) return <p class="alert" role="alert">Search failed: {outcome.error}</p>;
  const note = outcome.fallback && <p class="note" role="status">{outcome.fallback}</p>;
  if (outcome.hits.length === 0) return <>{note}<p role="status">No explanation matches “{q}”.</p></>;
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results for “{q}”</h2>
      {note}
      <table>
        <thead>
          <tr>
            <th scope="col">Explanation</th>
            <th scope="col">SAE</th>
            <th scope="col" class="num">Layer</th>
            <th scope="col" class="num">Score</th>
          </tr>
        </thead>
        <tbody>
          {outcome.hits.map((h) => (
            <tr>
              <td>
                {h.model ? <a href={featurePath(h.model, h.sae, h.index)}>{h.explanation}</a> : h.explanation}
              </td>
              <td>{h.sae} #{h.index}</td>
              <td class="num">{h.layer ?? "–"}</td>
              <td class="num">{fmt(h.score)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
