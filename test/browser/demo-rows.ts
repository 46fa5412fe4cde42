// Rows of the bundle the browser test serves: four residual SAEs (layers 0-3)
// whose latents 0-5 carry one theme each across layers, four MLP neuron sets,
// matches between neighbouring layers, every SAE pair summarised, and LM-head
// decodings with a reverse index for " dog". Small enough to ingest in seconds.
import type { BundleBytes } from "../../src/bundle";
import { sha256Hex } from "../../src/bundle";
import { type Rows, buildBundle } from "../fixtures/small-bundle";

export const DEMO_MODEL = "browser-demo";
export const LAYERS = [0, 1, 2, 3];
export const SAE_WIDTH = 12;
export const NEURONS = 32;

export const VOCAB = ["<eos>", " the", " dog", "dog", " Dog", " dogs", " puppy", " cat", " court", " law", " river", " bank", " money", " red", " blue", " one", " two", " bark", " leash", " judge"];

const THEMES = [
  { words: [" dog", " puppy", " bark"], texts: ["the word dog", "dogs and puppies", "pets such as dogs", "dog breeds and dog owners"] },
  { words: [" court", " judge", " law"], texts: ["legal words", "legal citations and court cases", "court rulings and judges", "laws and legal proceedings"] },
  { words: [" river", " bank"], texts: ["the word river", "rivers and river banks", "water and streams", "geography of rivers"] },
  { words: [" money", " bank"], texts: ["money", "money in a bank account", "finance and banking", "prices and payments"] },
  { words: [" red", " blue"], texts: ["colour words", "the colors red and blue", "colours of objects", "descriptions of colour"] },
  { words: [" one", " two"], texts: ["number words", "small numbers written as words", "counting", "quantities"] },
];

const resId = (layer: number) => `L${layer}-res`;
const mlpId = (layer: number) => `L${layer}-mlp`;
const tok = (t: string) => {
  const id = VOCAB.indexOf(t);
  if (id < 0) throw new Error(`demo vocabulary lacks ${JSON.stringify(t)}`);
  return { id, token: t };
};

export function demoRows(): Rows {
  const saes = LAYERS.flatMap((layer) => [
    { id: resId(layer), hookpoint: `model.layers.${layer}`, layer, site: "resid_post", kind: "sae", architecture: "topk", width: SAE_WIDTH, k: 4, dIn: 64, stats: { fvu: 0.2 + layer / 100 } },
    { id: mlpId(layer), hookpoint: `model.layers.${layer}.mlp`, layer, site: "mlp_neurons", kind: "neurons", architecture: "neurons", width: NEURONS, k: null, dIn: 64, stats: {} },
  ]);
  const latents = LAYERS.flatMap((layer) =>
    THEMES.map((_, index) => ({ sae: resId(layer), index, density: 0.002 * (index + 1), maxActivation: 3 + index, meanActivation: 1.2, nActivations: 500 + index })),
  );
  const explanations = LAYERS.flatMap((layer) => THEMES.map((theme, index) => ({ sae: resId(layer), index, text: theme.texts[layer]! })))
    .concat([{ sae: mlpId(2), index: 7, text: "predicts the token dog" }])
    .map((e, id) => ({ id, ...e, explainer: "SmolLM2-135M-Instruct", method: "delphi-default", promptVersion: "explain-v1" }));
  const scores = explanations.map((e) => ({ explanation: e.id, scorer: "fuzz", value: 0.6 + (e.id % 4) / 10, n: 40, details: null }));
  const examples = LAYERS.flatMap((layer) =>
    THEMES.flatMap((theme, index) =>
      [0, 1, 2].map((rank) => {
        const tokens = ["The", theme.words[0]!, " was", " near", " the", theme.words[rank % theme.words.length]!, "."];
        const peak = 3 + index - rank * 0.5;
        const activations = tokens.map((_, i) => (i === 1 ? peak : i === 5 ? peak / 2 : 0));
        return { sae: resId(layer), index, rank, kind: "top", quantile: null, maxActivation: peak, tokens, activations };
      }),
    ),
  );
  const decoding = (sae: string, index: number, direction: string, top: string[], bottom: string[]) => ({
    sae, index, direction,
    top: top.map((t, i) => ({ ...tok(t), value: 3 - i * 0.5 })),
    bottom: bottom.map((t, i) => ({ ...tok(t), value: -2 + i * 0.5 })),
  });
  const decodings = [
    ...LAYERS.flatMap((layer) => THEMES.map((theme, index) => decoding(resId(layer), index, "decoder", theme.words, [" the", "<eos>"]))),
    decoding(mlpId(2), 7, "write", [" dog", " dogs", " puppy"], [" cat", " the"]),
    decoding(mlpId(2), 7, "read_up", [" bark", " leash"], [" money"]),
    decoding(mlpId(2), 7, "read_gate", [" dog"], [" one"]),
  ];
  const tokenIndex = [
    { ...tok(" dog"), direction: "write", entries: [{ sae: mlpId(2), index: 7, value: 3 }, { sae: mlpId(1), index: 3, value: 2.2 }, { sae: mlpId(3), index: 20, value: 1.4 }] },
    { ...tok(" dog"), direction: "decoder", entries: LAYERS.map((layer, i) => ({ sae: resId(layer), index: 0, value: 3 - i * 0.1 })) },
    { ...tok(" dogs"), direction: "write", entries: [{ sae: mlpId(2), index: 7, value: 2.5 }] },
  ].map(({ id, token, direction, entries }) => ({ tokenId: id, token, direction, entries }));
  const matches = LAYERS.flatMap((layer) =>
    [layer - 1, layer + 1].filter((l) => LAYERS.includes(l)).flatMap((other) =>
      THEMES.flatMap((_, index) => [
        { saeA: resId(layer), indexA: index, saeB: resId(other), indexB: index, method: "decoder_cosine", score: 0.88 - index * 0.03, rank: 0 },
        { saeA: resId(layer), indexA: index, saeB: resId(other), indexB: (index + 1) % THEMES.length, method: "decoder_cosine", score: 0.31, rank: 1 },
        { saeA: resId(layer), indexA: index, saeB: resId(other), indexB: index, method: "explanation_cosine", score: 0.74, rank: 0 },
        { saeA: resId(layer), indexA: index, saeB: resId(other), indexB: index, method: "hungarian_decoder", score: 0.88 - index * 0.03, rank: 0 },
      ]),
    ),
  );
  const saePairs = LAYERS.flatMap((a) =>
    LAYERS.filter((b) => b !== a).flatMap((b) =>
      (["decoder_cosine", "explanation_cosine"] as const).map((method) => {
        const d = Math.abs(a - b);
        const mean = (method === "decoder_cosine" ? 0.85 : 0.7) - 0.18 * (d - 1);
        return {
          saeA: resId(a), saeB: resId(b), method, nA: SAE_WIDTH, nB: SAE_WIDTH, threshold: 0.7,
          matchedFraction: Math.max(0, 0.9 - 0.3 * (d - 1) - (method === "explanation_cosine" ? 0.1 : 0)),
          meanMatchedScore: mean, medianMatchedScore: mean + 0.02,
          histogram: { edges: [0, 0.25, 0.5, 0.75, 1], counts: [d, 2, 3 + d, SAE_WIDTH - 5 - 2 * d > 0 ? SAE_WIDTH - 5 - 2 * d : 0] },
        };
      }),
    ),
  );
  return {
    "saes.jsonl": saes, "vocab.jsonl": VOCAB.map((token, id) => ({ id, token })), "latents.jsonl": latents,
    "explanations.jsonl": explanations, "scores.jsonl": scores, "examples.jsonl": examples, "decodings.jsonl": decodings,
    "token_index.jsonl": tokenIndex, "matches.jsonl": matches, "sae_pairs.jsonl": saePairs,
  };
}

const DIM = 384;

/**
 * Embedding-like vectors for the demo explanations: one axis per theme plus a
 * small per-layer component, so live explanation matching finds the same
 * theme in another layer, as real embeddings of these texts would.
 */
function themedVectors(explanations: { sae: string; index: number }[]): Float32Array {
  const out = new Float32Array(explanations.length * DIM);
  explanations.forEach((e, row) => {
    const theme = e.sae.endsWith("-mlp") ? 0 : e.index;
    const layer = Number(e.sae.slice(1, e.sae.indexOf("-")));
    const v = out.subarray(row * DIM, (row + 1) * DIM);
    v[theme] = 1;
    v[100 + layer] = 0.35;
    v[200 + row] = 0.1;
    const norm = Math.hypot(...v);
    for (let j = 0; j < DIM; j++) v[j]! /= norm;
  });
  return out;
}

export async function demoBundle(): Promise<BundleBytes> {
  const rows = demoRows();
  const bundle = await buildBundle({
    bundleId: "browser-demo-1",
    modelId: DEMO_MODEL,
    rows,
    dim: DIM,
    manifestPatch: (m) => Object.assign(m.model as Record<string, unknown>, { displayName: "Browser demo", nLayers: LAYERS.length, vocabSize: VOCAB.length }),
  });
  const vectors = new Uint8Array(themedVectors(rows["explanations.jsonl"] as { sae: string; index: number }[]).buffer);
  bundle.files.set("explanation_vectors.f32", vectors);
  const manifest = JSON.parse(bundle.manifestText) as { files: Record<string, { sha256: string }> };
  manifest.files["explanation_vectors.f32"]!.sha256 = await sha256Hex(vectors);
  return { ...bundle, manifestText: JSON.stringify(manifest, null, 2) };
}
