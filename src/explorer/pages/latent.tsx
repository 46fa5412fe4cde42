// One feature: a latent of an SAE, or an MLP neuron of a neuron set.
import type { LatentMatch } from "../../compare/matches";
import type { SaeInfo } from "../../compare/release";
import type { Decoding } from "../../decode/decodings";
import type { Example, ExplanationWithScores, LatentStats } from "../data";
import { Layout, featurePath, fmt } from "../layout";
import { Decodings } from "../sections/decodings";
import { Examples } from "../sections/examples";
import { Matches } from "../sections/matches";

export interface LatentProps {
  model: string;
  sae: SaeInfo;
  index: number;
  stats: LatentStats | null;
  explanations: ExplanationWithScores[];
  examples: Example[];
  decodings: Decoding[];
  matches: LatentMatch[];
  /** Other SAEs of the model, for the live-match form. */
  others: SaeInfo[];
  /** Explanation matches computed on request (`?live=<sae>`). */
  live: { target: string; matches: LatentMatch[]; error: string | null } | null;
}

export function LatentPage(p: LatentProps) {
  const isNeuron = p.sae.kind === "neurons";
  const noun = isNeuron ? "Neuron" : "Latent";
  const title = `${noun} ${p.sae.id} #${p.index}`;
  const first = p.explanations[0]?.text;
  return (
    <Layout title={title}>
      <p class="note">
        <a href={`/models/${encodeURIComponent(p.model)}`}>{p.model}</a> › {p.sae.id} (layer {p.sae.layer}, {p.sae.site})
      </p>
      <h1>{title}</h1>
      {first && <p class="sub">{first}</p>}
      <nav aria-label="Neighbouring features" class="note">
        {p.index > 0 && <a href={featurePath(p.model, p.sae.id, p.index - 1)} rel="prev">← #{p.index - 1}</a>}
        {p.index > 0 && p.index + 1 < p.sae.width && " · "}
        {p.index + 1 < p.sae.width && <a href={featurePath(p.model, p.sae.id, p.index + 1)} rel="next">#{p.index + 1} →</a>}
      </nav>
      <Stats stats={p.stats} />
      <Explanations items={p.explanations} />
      {isNeuron ? (
        <>
          <Decodings decodings={p.decodings} model={p.model} />
          <Examples examples={p.examples} />
        </>
      ) : (
        <>
          <Examples examples={p.examples} />
          <Decodings decodings={p.decodings} model={p.model} />
        </>
      )}
      <Matches model={p.model} sae={p.sae} index={p.index} hasExplanations={p.explanations.length > 0} matches={p.matches} others={p.others} live={p.live} />
    </Layout>
  );
}

function Stats({ stats }: { stats: LatentStats | null }) {
  if (!stats) return null;
  const items = [
    stats.density !== null && `Density ${fmt(stats.density, 5)}`,
    stats.maxActivation !== null && `Max activation ${fmt(stats.maxActivation)}`,
    stats.meanActivation !== null && `Mean activation ${fmt(stats.meanActivation)}`,
    stats.nActivations !== null && `${stats.nActivations} activations`,
  ].filter((x): x is string => typeof x === "string");
  if (items.length === 0) return null;
  return <ul class="stats" aria-label="Statistics">{items.map((t) => <li>{t}</li>)}</ul>;
}

function Explanations({ items }: { items: ExplanationWithScores[] }) {
  return (
    <section aria-labelledby="expl">
      <h2 id="expl">Explanations</h2>
      {items.length === 0 ? (
        <p class="note">No explanation stored.</p>
      ) : (
        <table>
          <thead>
            <tr><th scope="col">Explanation</th><th scope="col">Explainer</th><th scope="col">Scores</th></tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr>
                <td>{e.text}</td>
                <td>{e.explainer}<div class="note">{e.method}</div></td>
                <td>{e.scores.length ? e.scores.map((s) => <div>{s.scorer} {fmt(s.value)} <span class="note">(n={s.n})</span></div>) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
