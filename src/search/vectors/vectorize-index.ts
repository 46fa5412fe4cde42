// Cloudflare Vectorize behind the VectorIndex interface. Vector ids are
// "<release>:<explanation id>"; metadata carries model, release, sae, layer and
// the latent index. Filtering needs metadata indexes on release, sae and layer
// (docs/search.md lists the wrangler commands). Vectorize is not simulated
// locally, so tests drive this with a fake binding of the same shape.
import type { BuildInput } from "./build-local-index";
import { vectorPartKeys, vectorParts } from "./vector-parts";
import { IndexUnavailable, type ReleaseRef, type VectorFilter, type VectorHit, type VectorIndex } from "./vector-index";

/** Vectorize returns at most 100 matches with indexed metadata. */
export const VECTORIZE_MAX_TOP_K = 100;
/** Ids one getByIds call may name (Vectorize refuses the 21st). */
export const GET_BY_IDS_MAX = 20;
const UPSERT_BATCH = 500;

/** The part of a Vectorize binding this backend uses (the real one and test fakes both fit). */
export interface VectorizeBinding {
  query(
    vector: number[],
    options: { topK: number; filter: VectorizeVectorMetadataFilter; returnMetadata: "indexed" },
  ): Promise<{ matches: { id: string; score: number; metadata?: Record<string, unknown> }[] }>;
  getByIds(ids: string[]): Promise<{ id: string; values: ArrayLike<number> }[]>;
  upsert(vectors: { id: string; values: number[]; metadata: Record<string, string | number> }[]): Promise<unknown>;
}

export const vectorId = (release: number, explanation: number) => `${release}:${explanation}`;

export interface ExplanationMetadata {
  model: string;
  release: number;
  sae: string;
  layer: number;
  index: number;
}

/** The Vectorize metadata filter of a search. */
export function vectorizeFilter(release: ReleaseRef, filter: VectorFilter): VectorizeVectorMetadataFilter {
  const out: VectorizeVectorMetadataFilter = { release: { $eq: release.release } };
  if (filter.saes?.length) out.sae = filter.saes.length === 1 ? { $eq: filter.saes[0]! } : { $in: filter.saes };
  if (filter.layers?.length) out.layer = filter.layers.length === 1 ? { $eq: filter.layers[0]! } : { $in: filter.layers };
  return out;
}

function toHit(match: { id: string; score: number; metadata?: Record<string, unknown> }): VectorHit | null {
  const m = match.metadata as Partial<ExplanationMetadata> | undefined;
  const [release, explanation] = match.id.split(":").map(Number);
  if (!m || typeof m.sae !== "string" || typeof m.layer !== "number" || typeof m.index !== "number") return null;
  if (!Number.isInteger(release) || !Number.isInteger(explanation)) return null;
  return { release: release!, explanation: explanation!, sae: m.sae, layer: m.layer, index: m.index, score: match.score };
}

export class VectorizeBackend implements VectorIndex {
  readonly name = "vectorize" as const;

  constructor(private readonly binding: VectorizeBinding) {}

  async query(release: ReleaseRef, vector: Float32Array, topK: number, filter: VectorFilter): Promise<VectorHit[]> {
    const result = await this.binding.query(Array.from(vector), {
      topK: Math.min(topK, VECTORIZE_MAX_TOP_K),
      filter: vectorizeFilter(release, filter),
      returnMetadata: "indexed",
    });
    const minScore = filter.minScore ?? -Infinity;
    return result.matches
      .map(toHit)
      .filter((h): h is VectorHit => h !== null && h.score >= minScore)
      .sort((a, b) => b.score - a.score);
  }

  /** getByIds answers at most GET_BY_IDS_MAX ids a call; the calls run together. */
  async vectorsOf(release: ReleaseRef, explanations: number[]): Promise<(Float32Array | null)[]> {
    const chunks: number[][] = [];
    for (let i = 0; i < explanations.length; i += GET_BY_IDS_MAX) chunks.push(explanations.slice(i, i + GET_BY_IDS_MAX));
    const found = new Map<string, Float32Array>();
    for (const rows of await Promise.all(chunks.map((ids) => this.binding.getByIds(ids.map((e) => vectorId(release.release, e)))))) {
      for (const r of rows) found.set(r.id, Float32Array.from(r.values));
    }
    return explanations.map((e) => found.get(vectorId(release.release, e)) ?? null);
  }
}

/** Upserts a release's vectors with their metadata, part by part. */
export async function upsertReleaseToVectorize(binding: VectorizeBinding, bucket: R2Bucket, input: BuildInput): Promise<void> {
  const { dim, rows } = input;
  let row = 0;
  for await (const part of vectorParts(bucket, await vectorPartKeys(bucket, input.release))) {
    const n = part.length / dim;
    for (let from = 0; from < n; from += UPSERT_BATCH) {
      const batch: Parameters<VectorizeBinding["upsert"]>[0] = [];
      for (let i = from; i < Math.min(n, from + UPSERT_BATCH); i++) {
        const id = row + i;
        const sae = rows.saes[rows.saeOrdinals[id]!];
        if (!sae) throw new IndexUnavailable(`explanation ${id} of release ${input.release} has no SAE row`);
        const metadata: ExplanationMetadata = { model: input.model, release: input.release, sae: sae.id, layer: sae.layer, index: rows.latentIndices[id]! };
        batch.push({ id: vectorId(input.release, id), values: Array.from(part.subarray(i * dim, (i + 1) * dim)), metadata: { ...metadata } });
      }
      await binding.upsert(batch);
    }
    row += n;
  }
}
