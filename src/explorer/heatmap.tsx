// The layer x layer similarity matrix as a table: each cell shaded by value,
// its number printed (colour is never the only carrier), and linked to the
// pair's summary.
import type { SimilarityMatrix } from "../compare/pairs";
import { fmt } from "./layout";

/** Light blue to dark blue; text turns white where the cell is dark enough to need it. */
function shade(v: number): { bg: string; ink: string } {
  const t = Math.max(0, Math.min(1, v));
  const stops = [
    [247, 251, 255],
    [107, 174, 214],
    [8, 48, 107],
  ] as const;
  const [a, b, u] = t < 0.5 ? [stops[0], stops[1], t * 2] : [stops[1], stops[2], (t - 0.5) * 2];
  const mix = (i: 0 | 1 | 2) => Math.round(a[i] + (b[i] - a[i]) * u);
  return { bg: `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`, ink: t > 0.55 ? "#fff" : "#1a1a1a" };
}

export function Heatmap({ model, matrix }: { model: string; matrix: SimilarityMatrix }) {
  const label = (i: number) => `${matrix.saes[i]!.id} (L${matrix.saes[i]!.layer})`;
  return (
    <>
      {/* Scrolls sideways on its own when a model has many layers; focusable so keyboard users can scroll it. */}
      <div class="scroll" tabindex={0} role="region" aria-label="Similarity heatmap">
      <table class="heatmap" aria-label={`${matrix.measure} of SAE pairs under ${matrix.method}`}>
        <thead>
          <tr>
            <td />
            {matrix.saes.map((s) => <th scope="col" title={s.id}>L{s.layer}</th>)}
          </tr>
        </thead>
        <tbody>
          {matrix.values.map((row, i) => (
            <tr>
              <th scope="row" title={matrix.saes[i]!.id}>{label(i)}</th>
              {row.map((v, j) => {
                if (v === null) return <td title={`${label(i)} vs ${label(j)}: not compared`}>·</td>;
                const { bg, ink } = shade(v);
                const text = `${label(i)} vs ${label(j)}: ${fmt(v)}`;
                const cell = fmt(v, 2);
                return (
                  <td style={`background: ${bg}; color: ${ink}`} title={text}>
                    {i === j ? (
                      cell
                    ) : (
                      <a href={`/models/${encodeURIComponent(model)}/compare/${encodeURIComponent(matrix.saes[i]!.id)}/${encodeURIComponent(matrix.saes[j]!.id)}`} aria-label={text}>
                        {cell}
                      </a>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <div class="legend" aria-hidden="true">0 <span class="bar" /> 1</div>
    </>
  );
}
