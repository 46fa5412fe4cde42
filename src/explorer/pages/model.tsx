// A model: its SAEs, the layer x layer similarity heatmap, and a token lookup box.
import type { PairMeasure, PairMethod, SimilarityMatrix } from "../../compare/pairs";
import type { SaeInfo } from "../../compare/release";
import { Heatmap } from "../heatmap";
import { Field, Layout, featurePath } from "../layout";
import { TokenForm } from "./tokens";

export interface ModelProps {
  model: string;
  saes: SaeInfo[];
  method: PairMethod;
  measure: PairMeasure;
  matrix: SimilarityMatrix | null;
  matrixError: string | null;
}

const MEASURES: [PairMeasure, string][] = [
  ["matchedFraction", "Fraction matched one-to-one above threshold"],
  ["meanMatchedScore", "Mean score of one-to-one partners"],
  ["medianMatchedScore", "Median score of one-to-one partners"],
];

export function ModelPage(p: ModelProps) {
  const base = `/models/${encodeURIComponent(p.model)}`;
  return (
    <Layout title={p.model}>
      <h1>{p.model}</h1>
      <p class="sub">{p.saes.length} feature sources. <a href={`${base}/tokens`}>Which features promote a token?</a></p>
      <h2 id="heatmap-title">Layer × layer SAE similarity</h2>
      <form class="inline" method="get" action={base}>
        <Field id="method" label="Method">
          <select id="method" name="method">
            <option value="decoder_cosine" selected={p.method === "decoder_cosine"}>Decoder cosine</option>
            <option value="explanation_cosine" selected={p.method === "explanation_cosine"}>Explanation similarity</option>
          </select>
        </Field>
        <Field id="measure" label="Measure">
          <select id="measure" name="measure">
            {MEASURES.map(([value, label]) => <option value={value} selected={value === p.measure}>{label}</option>)}
          </select>
        </Field>
        <button type="submit">Show</button>
      </form>
      {p.matrix ? <Heatmap model={p.model} matrix={p.matrix} /> : <p class="note">{p.matrixError}</p>}
      <h2>Look up a token</h2>
      <TokenForm model={p.model} token="" mode="exact" />
      <h2>Feature sources</h2>
      <table>
        <thead>
          <tr><th scope="col">Id</th><th scope="col" class="num">Layer</th><th scope="col">Site</th><th scope="col">Kind</th><th scope="col" class="num">Width</th></tr>
        </thead>
        <tbody>
          {p.saes.map((s) => (
            <tr>
              <td><a href={featurePath(p.model, s.id, 0)}>{s.id}</a></td>
              <td class="num">{s.layer}</td>
              <td>{s.site}</td>
              <td>{s.kind}</td>
              <td class="num">{s.width}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
