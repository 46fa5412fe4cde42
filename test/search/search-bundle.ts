// A bundle of 60 real Gemma Scope explanations with their batch-side (fp32
// sentence-transformers) vectors, plus 8 of them again in a second SAE, so
// search, filters and "more like this" across SAEs have something real to find.
import { env } from "cloudflare:workers";
import type { BundleBytes } from "../../src/bundle";
import { sha256Hex } from "../../src/bundle";
import { ingest } from "../core/helpers";
import { fixtureBytes, fixtureText, putModelFiles } from "./fixtures";

export const MODEL = "gemma-2-2b";
export const SAE_A = "20-gemmascope-res-16k";
export const SAE_B = "19-test-res";
/** How many of the sample's explanations are repeated in SAE_B (as latents 100..107). */
export const IN_B = 8;

interface Sample {
  explanations: { index: number; text: string; explainer: string; method: string }[];
}

export async function sampleBundle(): Promise<{ bundle: BundleBytes; sample: Sample }> {
  const sample = JSON.parse(await fixtureText("test/search/fixtures/sample-explanations.json")) as Sample;
  const vectors = new Float32Array((await fixtureBytes("test/search/fixtures/sample-explanations.f32")).slice().buffer);
  const dim = 384;
  const saes = [
    { id: SAE_A, hookpoint: "model.layers.20", layer: 20, site: "resid_post", kind: "sae", architecture: "jumprelu", width: 16384, k: null, dIn: 2304, stats: {} },
    { id: SAE_B, hookpoint: "model.layers.19", layer: 19, site: "resid_post", kind: "sae", architecture: "jumprelu", width: 16384, k: null, dIn: 2304, stats: {} },
  ];
  const explanations = [
    ...sample.explanations.map((e, id) => ({ id, sae: SAE_A, index: e.index, text: e.text, explainer: e.explainer, method: e.method, promptVersion: null })),
    ...sample.explanations.slice(0, IN_B).map((e, k) => ({
      id: sample.explanations.length + k, sae: SAE_B, index: 100 + k, text: e.text, explainer: "other-explainer", method: e.method, promptVersion: null,
    })),
  ];
  const allVectors = new Float32Array(explanations.length * dim);
  allVectors.set(vectors);
  allVectors.set(vectors.subarray(0, IN_B * dim), sample.explanations.length * dim);
  const latents = explanations.map((e) => ({ sae: e.sae, index: e.index, density: 0.001, maxActivation: 5, meanActivation: 1, nActivations: 10 }));
  const scores = [{ explanation: 0, scorer: "fuzz", value: 0.75, n: 40, details: null }];
  const rows: Record<string, unknown[]> = { "saes.jsonl": saes, "latents.jsonl": latents, "explanations.jsonl": explanations, "scores.jsonl": scores };
  const files = new Map<string, Uint8Array>();
  for (const [name, list] of Object.entries(rows)) files.set(name, new TextEncoder().encode(list.map((r) => JSON.stringify(r) + "\n").join("")));
  files.set("explanation_vectors.f32", new Uint8Array(allVectors.buffer));
  const entries: Record<string, unknown> = {};
  for (const [name, bytes] of files) {
    entries[name] = { rows: name.endsWith(".f32") ? explanations.length : rows[name]!.length, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) };
  }
  const manifest = {
    format: "feature-atlas-bundle",
    formatVersion: 1,
    bundleId: "search-sample",
    createdAt: "2026-11-24T21:00:00Z",
    producer: { name: "feature-atlas-tests", version: "0.1.0" },
    source: { kind: "neuronpedia-export", origin: "Gemma Scope explanations (test sample)", license: "Apache-2.0" },
    model: { id: MODEL, displayName: "Gemma 2 2B", architecture: "gemma2", nLayers: 26, dModel: 2304, dMlp: 9216, vocabSize: 256000 },
    embedding: { model: "sentence-transformers/all-MiniLM-L6-v2", dim, pooling: "mean", normalized: true, dtype: "float32" },
    files: entries,
  };
  return { bundle: { manifestText: JSON.stringify(manifest), files }, sample };
}

/** Ingests the sample through the real admin routes; with the query model in R2 unless told otherwise. */
export async function seedSearch(options: { modelFiles?: boolean } = {}): Promise<Sample> {
  const { bundle, sample } = await sampleBundle();
  if (options.modelFiles ?? true) await putModelFiles(env.BLOBS);
  await ingest(bundle, { rowsPerPart: 40 });
  return sample;
}
