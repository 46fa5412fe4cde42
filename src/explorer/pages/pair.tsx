// Two SAEs side by side: their one-to-one matching summaries and score histograms.
import type { PairSummary } from "../../compare/pairs";
import { Layout, fmt } from "../layout";

export function PairPage({ model, a, b, pairs }: { model: string; a: string; b: string; pairs: PairSummary[] }) {
  return (
    <Layout title={`${a} vs ${b}`}>
      <p class="note"><a href={`/models/${encodeURIComponent(model)}`}>{model}</a> › compare</p>
      <h1>{a} vs {b}</h1>
      {pairs.map((p) => {
        const peak = Math.max(...p.histogram.counts, 1);
        return (
          <section aria-label={p.method}>
            <h2>{p.method.replace("_", " ")}</h2>
            <ul class="stats">
              <li>{fmt(p.matchedFraction * 100, 1)}% of {p.saeA}'s {p.nA} latents matched above {fmt(p.threshold, 2)}</li>
              <li>Mean matched score {fmt(p.meanMatchedScore)}</li>
              <li>Median {fmt(p.medianMatchedScore)}</li>
            </ul>
            {p.reversed && <p class="note">Read from the stored {p.saeB} → {p.saeA} summary.</p>}
            <div class="hist" role="img" aria-label={`Histogram of matched scores: ${p.histogram.counts.join(", ")}`}>
              {p.histogram.counts.map((n, i) => (
                <div style={`height: ${((n / peak) * 100).toFixed(1)}%`} title={`${fmt(p.histogram.edges[i], 2)}–${fmt(p.histogram.edges[i + 1], 2)}: ${n}`} />
              ))}
            </div>
            <div class="legend"><span>{fmt(p.histogram.edges[0], 2)}</span><span style="flex: 1" /><span>{fmt(p.histogram.edges.at(-1), 2)}</span></div>
          </section>
        );
      })}
    </Layout>
  );
}
