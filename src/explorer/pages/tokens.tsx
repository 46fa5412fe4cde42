// Token lookup: which neurons and latents promote a token (or any token with a prefix).
import type { PromoterGroup } from "../../decode/token-lookup";
import type { Token } from "../../decode/vocab";
import { Field, Layout, Tok, featurePath, fmt } from "../layout";

export function TokenForm({ model, token, mode }: { model: string; token: string; mode: "exact" | "prefix" }) {
  return (
    <form class="inline" method="get" action={`/models/${encodeURIComponent(model)}/tokens`} aria-label="Token lookup">
      <Field id="token" label="Token (a leading space counts)">
        <input type="text" id="token" name="token" value={token} maxlength={256} placeholder="type a space first for ' dog'" spellcheck={false} autocomplete="off" />
      </Field>
      <fieldset class="choice">
        <legend class="sr">Match</legend>
        <label><input type="radio" name="match" value="exact" checked={mode === "exact"} /> exact token</label>
        <label><input type="radio" name="match" value="prefix" checked={mode === "prefix"} /> tokens starting with it</label>
      </fieldset>
      <button type="submit">Look up</button>
    </form>
  );
}

export interface TokensProps {
  model: string;
  token: string;
  mode: "exact" | "prefix";
  tokens: Token[];
  groups: PromoterGroup[];
  error: string | null;
  suggestions: string[];
}

const DIRECTION_TITLE: Record<string, string> = {
  write: "Neurons writing it (down projection)",
  decoder: "Latents writing it (decoder)",
  read_up: "Neurons reading it (up projection)",
  read_gate: "Neurons gated by it",
  encoder: "Latents reading it (encoder)",
};

/** Output-side directions first: "which features promote it" is mostly about what they write. */
const PAGE_ORDER = ["write", "decoder", "read_up", "read_gate", "encoder"];

export function TokensPage(p: TokensProps) {
  const lookup = (t: string) => `/models/${encodeURIComponent(p.model)}/tokens?token=${encodeURIComponent(t)}`;
  return (
    <Layout title={p.token ? `Token ${JSON.stringify(p.token)}` : "Token lookup"}>
      <p class="note"><a href={`/models/${encodeURIComponent(p.model)}`}>{p.model}</a> › tokens</p>
      <h1>Which features promote a token?</h1>
      <TokenForm model={p.model} token={p.token} mode={p.mode} />
      {p.error && (
        <div class="alert" role="alert">
          <p style="margin: 0">{p.error}</p>
          {p.suggestions.length > 0 && (
            <p style="margin: 4px 0 0">
              Near tokens:{" "}
              {p.suggestions.map((s, i) => (
                <>
                  {i > 0 && ", "}
                  <a href={lookup(s)}><Tok text={s} /></a>
                </>
              ))}
            </p>
          )}
        </div>
      )}
      {p.tokens.length > 0 && (
        <p class="sub">
          {p.mode === "prefix" ? `${p.tokens.length} tokens start with ` : "Token "}
          <Tok text={p.token} /> {p.mode === "exact" && <span class="note">(id {p.tokens.map((t) => t.id).join(", ")})</span>}
        </p>
      )}
      {p.tokens.length > 0 && p.groups.length === 0 && <p class="note">No feature of this model has this token in its reverse index.</p>}
      {[...p.groups].sort((a, b) => PAGE_ORDER.indexOf(a.direction) - PAGE_ORDER.indexOf(b.direction)).map((g) => (
        <section aria-label={DIRECTION_TITLE[g.direction] ?? g.direction}>
          <h2>{DIRECTION_TITLE[g.direction] ?? g.direction}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Feature</th><th scope="col" class="num">Layer</th>
                {p.mode === "prefix" && <th scope="col">Token</th>}
                <th scope="col" class="num">Logit</th><th scope="col">Explanation</th>
              </tr>
            </thead>
            <tbody>
              {g.promoters.map((f) => (
                <tr>
                  <td><a href={featurePath(p.model, f.sae, f.index)}>{f.kind === "neurons" ? "neuron" : "latent"} {f.sae} #{f.index}</a></td>
                  <td class="num">{f.layer}</td>
                  {p.mode === "prefix" && <td><Tok text={f.token} /></td>}
                  <td class="num">{fmt(f.value)}</td>
                  <td>{f.explanation ?? <span class="note">–</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Layout>
  );
}
