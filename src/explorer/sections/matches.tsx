// A feature's stored matches in other SAEs, and live explanation matches on request.
import type { LatentMatch } from "../../compare/matches";
import type { SaeInfo } from "../../compare/release";
import { Field, featurePath, fmt } from "../layout";

export interface MatchesProps {
  model: string;
  sae: SaeInfo;
  index: number;
  hasExplanations: boolean;
  matches: LatentMatch[];
  /** Other SAEs of the model, for the live-match form. */
  others: SaeInfo[];
  /** Explanation matches computed on request (`?live=<sae>`). */
  live: { target: string; matches: LatentMatch[]; error: string | null } | null;
}

export function Matches(p: MatchesProps) {
  return (
    <section aria-labelledby="matches">
      <h2 id="matches">Matches in other SAEs</h2>
      {p.matches.length === 0 ? (
        <p class="note">The batch stored no match for this feature.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Partner</th><th scope="col" class="num">Layer</th><th scope="col">Method</th>
              <th scope="col" class="num">Score</th><th scope="col">Partner's explanation</th>
            </tr>
          </thead>
          <tbody>
            {p.matches.map((m) => (
              <tr>
                <td><a href={featurePath(p.model, m.sae, m.index)}>{m.sae} #{m.index}</a></td>
                <td class="num">{m.layer}</td>
                <td>{m.method.replace("_", " ")}{m.rank > 0 ? ` (#${m.rank + 1})` : ""}</td>
                <td class="num">{fmt(m.score)}</td>
                <td>{m.explanation ?? <span class="note">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.live && <LiveMatches model={p.model} live={p.live} />}
      {p.others.length > 0 && p.hasExplanations && (
        <form class="inline" method="get" action={`${featurePath(p.model, p.sae.id, p.index)}`}>
          <Field id="live-target" label="Match by explanation, live, in">
            <select id="live-target" name="live">
              {p.others.map((s) => <option value={s.id} selected={s.id === p.live?.target}>{s.id} (layer {s.layer})</option>)}
            </select>
          </Field>
          <button type="submit">Find matches</button>
        </form>
      )}
    </section>
  );
}

function LiveMatches({ model, live }: { model: string; live: NonNullable<MatchesProps["live"]> }) {
  if (live.error) return <p class="alert" role="alert">Live matching in {live.target} failed: {live.error}</p>;
  return (
    <>
      <h3 id="live">Explanation matches in {live.target}, computed now</h3>
      {live.matches.length === 0 ? (
        <p class="note">No explanation of {live.target} to compare with.</p>
      ) : (
        <table aria-labelledby="live">
          <thead><tr><th scope="col">Partner</th><th scope="col" class="num">Cosine</th><th scope="col">Partner's explanation</th></tr></thead>
          <tbody>
            {live.matches.map((m) => (
              <tr>
                <td><a href={featurePath(model, m.sae, m.index)}>{m.sae} #{m.index}</a></td>
                <td class="num">{fmt(m.score)}</td>
                <td>{m.explanation ?? <span class="note">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
