// Writes a synthetic bundle of one model in which every row carries its
// generation: two generations of the same model differ detectably in every
// explanation, explainer name, score, example token and statistic, so a reader
// can tell from any response which release it was served from, and whether a
// response mixes two. Used by the consistency load run and the fault drivers.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export const GENERATION_MODEL = "atlas-consistency";
export const EMBEDDING = { model: "sentence-transformers/all-MiniLM-L6-v2", dim: 384, pooling: "mean", normalized: true, dtype: "float32" };

const TOPICS = ["legal citations", "river banks", "dog breeds", "prime numbers", "french cooking", "star names", "chemical elements", "verbs of motion"];

export interface GenerationOptions {
  generation: number;
  saes?: number;
  latentsPerSae?: number;
  modelId?: string;
}

export interface WrittenBundle {
  dir: string;
  bundleId: string;
  modelId: string;
  saeIds: string[];
  latentsPerSae: number;
  /** Rows per file, as the manifest states them. */
  rows: Record<string, number>;
}

/** The marker word every text field of a generation holds. */
export const marker = (generation: number) => `gen${generation}`;

/** Generations named in a response body: `gen<N>` words. A consistent response names exactly one. */
export function generationsIn(text: string): Set<number> {
  const found = new Set<number>();
  for (const m of text.matchAll(/\bgen(\d{1,3})\b/g)) found.add(Number(m[1]));
  return found;
}

/** nActivations encodes generation and index, so statistics are checked too, not only text. */
export const nActivationsOf = (generation: number, index: number) => generation * 1_000_000 + index;

function unitVector(seed: number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let norm = 0;
  for (let j = 0; j < dim; j++) {
    v[j] = Math.sin(seed * 12.9898 + j * 78.233) * 43758.5453 % 1;
    norm += v[j]! * v[j]!;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let j = 0; j < dim; j++) v[j]! *= scale;
  return v;
}

const jsonl = (rows: unknown[]) => Buffer.from(rows.map((r) => JSON.stringify(r) + "\n").join(""));

export function generationRows(opts: GenerationOptions): { saeIds: string[]; files: Map<string, Buffer>; rows: Record<string, number> } {
  const g = opts.generation;
  const nSaes = opts.saes ?? 2;
  const width = opts.latentsPerSae ?? 500;
  const tag = marker(g);
  const saeIds = Array.from({ length: nSaes }, (_, l) => `${l}-res-consistency`);
  const saes = saeIds.map((id, l) => ({
    id, hookpoint: `model.layers.${l}`, layer: l, site: "resid_post", kind: "sae", architecture: "topk",
    width, k: 8, dIn: 64, stats: { fvu: g / 10 },
  }));
  const latents: object[] = [];
  const explanations: { id: number; sae: string; index: number; text: string; explainer: string; method: string; promptVersion: string }[] = [];
  const scores: object[] = [];
  const examples: object[] = [];
  for (const sae of saeIds) {
    for (let index = 0; index < width; index++) {
      latents.push({ sae, index, density: g / 1000, maxActivation: g, meanActivation: g / 2, nActivations: nActivationsOf(g, index) });
      const id = explanations.length;
      const topic = TOPICS[index % TOPICS.length]!;
      explanations.push({
        id, sae, index, text: `${tag} ${topic} feature ${sae} ${index}`,
        explainer: `${tag}-explainer`, method: `${tag}-method`, promptVersion: tag,
      });
      scores.push({ explanation: id, scorer: "fuzz", value: g === 1 ? 0.25 : 0.75, n: g * 10, details: { generation: g } });
      examples.push({
        sae, index, rank: 0, kind: "top", quantile: null, maxActivation: g,
        tokens: [" the", ` ${tag}`, " token"], activations: [0, g, 0],
      });
    }
  }
  const dim = EMBEDDING.dim;
  const vectors = new Float32Array(explanations.length * dim);
  for (let i = 0; i < explanations.length; i++) vectors.set(unitVector(g * 1_000_003 + i, dim), i * dim);
  const files = new Map<string, Buffer>([
    ["saes.jsonl", jsonl(saes)],
    ["latents.jsonl", jsonl(latents)],
    ["explanations.jsonl", jsonl(explanations)],
    ["explanation_vectors.f32", Buffer.from(vectors.buffer)],
    ["scores.jsonl", jsonl(scores)],
    ["examples.jsonl", jsonl(examples)],
  ]);
  const rows = {
    "saes.jsonl": saes.length, "latents.jsonl": latents.length, "explanations.jsonl": explanations.length,
    "explanation_vectors.f32": explanations.length, "scores.jsonl": scores.length, "examples.jsonl": examples.length,
  };
  return { saeIds, files, rows };
}

export async function writeGenerationBundle(dir: string, opts: GenerationOptions): Promise<WrittenBundle> {
  const modelId = opts.modelId ?? GENERATION_MODEL;
  const { saeIds, files, rows } = generationRows(opts);
  const bundleId = `${modelId}-${marker(opts.generation)}`;
  const entries: Record<string, { rows: number; bytes: number; sha256: string }> = {};
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of files) {
    await writeFile(path.join(dir, name), bytes);
    entries[name] = { rows: rows[name as keyof typeof rows]!, bytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  const manifest = {
    format: "feature-atlas-bundle",
    formatVersion: 1,
    bundleId,
    createdAt: new Date(Date.UTC(2026, 10, 24, 0, opts.generation)).toISOString().replace(/\.\d{3}Z$/, "Z"),
    producer: { name: "feature-atlas-bench", version: "0.1.0" },
    source: { kind: "pipeline", origin: `synthetic consistency bundle, generation ${opts.generation}`, license: "Apache-2.0" },
    model: { id: modelId, displayName: "Consistency check model", architecture: "llama", nLayers: saeIds.length, dModel: 64, dMlp: 256, vocabSize: null },
    embedding: EMBEDDING,
    files: entries,
  };
  await writeFile(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return { dir, bundleId, modelId, saeIds, latentsPerSae: opts.latentsPerSae ?? 500, rows };
}
