// A small release written straight into D1: three residual SAEs (layers 0-2),
// two neuron sets, a vocabulary with the usual traps (" dog" vs "dog", case,
// non-ASCII), decodings, a reverse token index, matches and pair summaries.
import { env, exports } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import * as t from "../../src/db/schema";

export const MODEL = "tiny-model";
export const RELEASE = 7;
export const NO_VOCAB_MODEL = "explanations-only";

export const VOCAB = ["<|endoftext|>", "dog", " dog", " Dog", " dogs", " doghouse", " cat", "é", " café", "%", "' OR 1=1 --", " the"];
export const tokenId = (text: string) => {
  const id = VOCAB.indexOf(text);
  if (id < 0) throw new Error(`not in the test vocabulary: ${text}`);
  return id;
};

export const SAES = [
  { id: "res-0", layer: 0, site: "resid_post", kind: "sae", width: 8 },
  { id: "res-1", layer: 1, site: "resid_post", kind: "sae", width: 8 },
  { id: "res-2", layer: 2, site: "resid_post", kind: "sae", width: 6 },
  { id: "mlp-0", layer: 0, site: "mlp_neurons", kind: "neurons", width: 16 },
  { id: "mlp-1", layer: 1, site: "mlp_neurons", kind: "neurons", width: 16 },
];

/** One statement per row: D1 caps a statement at 100 bound parameters. */
function rowByRow() {
  const db = drizzle(env.DB);
  return {
    insert: <T extends Parameters<typeof db.insert>[0]>(table: T) => ({
      values: async (rows: T["$inferInsert"] | T["$inferInsert"][]) => {
        for (const row of Array.isArray(rows) ? rows : [rows]) await db.insert(table).values(row);
      },
    }),
  };
}

export async function seed(): Promise<void> {
  const db = rowByRow();
  await db.insert(t.models).values({ id: MODEL, displayName: "Tiny", nLayers: 3, vocabSize: VOCAB.length, activeRelease: RELEASE });
  // A model imported from explanations only: no vocabulary, no decodings.
  await db.insert(t.models).values({ id: NO_VOCAB_MODEL, activeRelease: RELEASE + 2 });
  // A staging release of the same model whose rows must never be read.
  await db.insert(t.saes).values(
    SAES.flatMap((s) => [RELEASE, RELEASE + 1].map((release) => ({
      release,
      id: s.id,
      modelId: MODEL,
      hookpoint: `model.layers.${s.layer}`,
      layer: s.layer,
      site: s.site,
      kind: s.kind,
      architecture: s.kind === "neurons" ? "neurons" : "topk",
      width: release === RELEASE ? s.width : s.width + 100,
      k: s.kind === "neurons" ? null : 4,
      dIn: 16,
      stats: {},
    }))),
  );
  await db.insert(t.vocab).values(VOCAB.map((token, tokenId) => ({ release: RELEASE, tokenId, token })));
  await db.insert(t.explanations).values([
    { release: RELEASE, id: 0, sae: "res-0", idx: 3, text: "mentions of dogs and puppies", explainer: "x", method: "m" },
    { release: RELEASE, id: 1, sae: "res-1", idx: 5, text: "dogs, <b>pets</b> & animals", explainer: "x", method: "m" },
    { release: RELEASE, id: 2, sae: "res-1", idx: 2, text: "cats", explainer: "x", method: "m" },
    { release: RELEASE, id: 3, sae: "res-2", idx: 1, text: "canine words", explainer: "x", method: "m" },
    { release: RELEASE, id: 4, sae: "mlp-1", idx: 9, text: "the word dog", explainer: "x", method: "m" },
    { release: RELEASE + 1, id: 0, sae: "res-1", idx: 5, text: "STAGED must not show", explainer: "x", method: "m" },
  ]);
  const match = (saeA: string, idxA: number, saeB: string, method: string, rank: number, idxB: number, score: number) =>
    ({ release: RELEASE, saeA, idxA, saeB, method, rank, idxB, score });
  await db.insert(t.matches).values([
    match("res-0", 3, "res-1", "decoder_cosine", 0, 5, 0.91),
    match("res-0", 3, "res-1", "decoder_cosine", 1, 2, 0.4),
    match("res-0", 3, "res-1", "explanation_cosine", 0, 5, 0.83),
    match("res-0", 3, "res-1", "hungarian_decoder", 0, 5, 0.91),
    match("res-0", 3, "res-2", "decoder_cosine", 0, 1, 0.62),
    match("res-0", 3, "res-2", "explanation_cosine", 0, 1, 0.7),
    { ...match("res-0", 3, "res-1", "decoder_cosine", 2, 7, 0.99), release: RELEASE + 1 },
  ]);
  const pair = (saeA: string, saeB: string, method: string, nA: number, nB: number, matchedFraction: number, meanMatchedScore: number) => ({
    release: RELEASE, saeA, saeB, method, nA, nB, threshold: 0.7, matchedFraction, meanMatchedScore,
    medianMatchedScore: meanMatchedScore - 0.05, histogram: { edges: [0, 0.5, 1], counts: [2, 6] },
  });
  await db.insert(t.saePairs).values([
    pair("res-0", "res-1", "decoder_cosine", 8, 8, 0.75, 0.8),
    pair("res-1", "res-0", "decoder_cosine", 8, 8, 0.625, 0.79),
    pair("res-1", "res-2", "decoder_cosine", 8, 6, 0.5, 0.6),
    // Only stored as res-2 -> res-0: read backwards, the fraction is rescaled to res-0's 8 latents.
    pair("res-2", "res-0", "decoder_cosine", 6, 8, 0.5, 0.4),
    pair("res-0", "res-1", "explanation_cosine", 8, 8, 0.25, 0.55),
  ]);
  await db.insert(t.decodings).values([
    { release: RELEASE, sae: "res-0", idx: 3, direction: "decoder", top: [[2, 2.5], [4, 2.1], [1, 1.0]], bottom: [[6, -1.5], [0, -0.2]] },
    { release: RELEASE, sae: "mlp-1", idx: 9, direction: "write", top: [[2, 3.0], [3, 1.2]], bottom: [[6, -2.0]] },
    { release: RELEASE, sae: "mlp-1", idx: 9, direction: "read_up", top: [[1, 0.9]], bottom: [[11, -0.3]] },
    { release: RELEASE, sae: "mlp-1", idx: 9, direction: "read_gate", top: [[4, 0.7]], bottom: [[7, -0.4]] },
  ]);
  await db.insert(t.latents).values({ release: RELEASE, sae: "res-0", idx: 3, density: 0.0125, maxActivation: 4.2, meanActivation: 1.1, nActivations: 321 });
  await db.insert(t.scores).values({ release: RELEASE, explanation: 0, scorer: "fuzz", value: 0.81, n: 40, details: null });
  const examples = [
    { kind: "top", rank: 0, quantile: null, maxActivation: 4.2, tokens: ["The", " dog", " barked", " <script>"], activations: [0, 4.2, 1.05, 0] },
    { kind: "top", rank: 1, quantile: null, maxActivation: 2, tokens: ["A", " puppy"], activations: [0, 2] },
  ];
  const packed = new TextEncoder().encode(`[]${JSON.stringify(examples)}`);
  await env.BLOBS.put(`releases/${RELEASE}/examples/0000000000.json`, packed);
  await db.insert(t.exampleRefs).values({ release: RELEASE, sae: "res-0", idx: 3, blobKey: `releases/${RELEASE}/examples/0000000000.json`, offset: 2, length: packed.byteLength - 2, count: 2 });
  await db.insert(t.tokenIndex).values([
    { release: RELEASE, tokenId: 2, direction: "write", entries: [["mlp-1", 9, 3.0], ["mlp-0", 4, 1.1], ["mlp-1", 2, 0.5]] },
    { release: RELEASE, tokenId: 2, direction: "decoder", entries: [["res-0", 3, 2.5], ["res-1", 5, 1.9]] },
    { release: RELEASE, tokenId: 4, direction: "write", entries: [["mlp-0", 1, 2.2]] },
    { release: RELEASE, tokenId: 5, direction: "write", entries: [["mlp-1", 14, 4.0]] },
    { release: RELEASE, tokenId: 1, direction: "write", entries: [["mlp-0", 7, 0.8]] },
  ]);
}

// test/env.d.ts does not declare the main module's type, so `exports.default` is untyped there.
const worker = (exports as unknown as { default: { fetch: (input: string, init?: RequestInit) => Promise<Response> } }).default;

export async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await worker.fetch(`http://atlas.test${path}`);
  return { status: res.status, body: (await res.json()) as T };
}
