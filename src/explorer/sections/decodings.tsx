// Top logits of a feature: promoted and suppressed tokens per direction.
import type { Decoding } from "../../decode/decodings";
import { Tok, fmt } from "../layout";

const DIRECTION_LABEL: Record<string, string> = {
  decoder: "Decoder direction (what the latent writes)",
  encoder: "Encoder direction (what the latent reads)",
  read_up: "Up-projection row (what the neuron reads)",
  read_gate: "Gate-projection row (what gates the neuron)",
  write: "Down-projection column (what the neuron writes)",
};

export function Decodings({ decodings, model }: { decodings: Decoding[]; model: string }) {
  const tokenLink = (token: string | null) =>
    token === null ? null : `/models/${encodeURIComponent(model)}/tokens?token=${encodeURIComponent(token)}`;
  return (
    <section aria-labelledby="logits">
      <h2 id="logits">Top logits (LM-head decoding)</h2>
      {decodings.length === 0 ? (
        <p class="note">No decoding stored.</p>
      ) : (
        decodings.map((d) => (
          <div class="logits">
            <h3>{DIRECTION_LABEL[d.direction] ?? d.direction}</h3>
            <div class="cols">
              {(["top", "bottom"] as const).map((side) => (
                <div>
                  <div class={side === "top" ? "pos" : "neg"}>{side === "top" ? "Promoted" : "Suppressed"}</div>
                  <ol>
                    {d[side].slice(0, 10).map((t) => {
                      const href = tokenLink(t.token);
                      return (
                        <li>
                          {href ? <a href={href}><Tok text={t.token} /></a> : <Tok text={t.token} />} <span class="note">{fmt(t.value)}</span>
                        </li>
                      );
                    })}
                  </ol>
                </div>
              ))}
            </div>
          </div>
        ))
      )}
    </section>
  );
}
