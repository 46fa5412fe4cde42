// Top activating examples, each token shaded by its activation.
import type { Example } from "../data";
import { fmt } from "../layout";

/** Activating tokens shaded by strength relative to the example's peak; the value is in each token's title. */
export function Examples({ examples }: { examples: Example[] }) {
  const top = examples.filter((e) => e.kind === "top").slice(0, 12);
  return (
    <section aria-labelledby="examples">
      <h2 id="examples">Top activating examples</h2>
      {top.length === 0 ? (
        <p class="note">No examples stored.</p>
      ) : (
        <>
          <p class="note">Shading is the token's activation relative to the example's maximum; hover a token or read the outlined strongest one.</p>
          {top.map((e) => {
            const peak = e.maxActivation > 0 ? e.maxActivation : Math.max(...e.activations, 0);
            const hot = e.activations.indexOf(Math.max(...e.activations));
            return (
              <div class="example" aria-label={`Example ${e.rank + 1}, max activation ${fmt(e.maxActivation)}`}>
                {e.tokens.map((t, i) => {
                  const a = e.activations[i] ?? 0;
                  const alpha = peak > 0 ? Math.max(0, Math.min(1, a / peak)) : 0;
                  if (alpha === 0) return <span>{t}</span>;
                  return (
                    <span style={`background: rgba(255, 140, 0, ${alpha.toFixed(2)})`} class={i === hot ? "hot" : undefined} title={`activation ${fmt(a)}`}>
                      {t}
                    </span>
                  );
                })}
              </div>
            );
          })}
        </>
      )}
    </section>
  );
}
