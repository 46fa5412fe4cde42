// Explanation-based matches computed at request time, for SAE pairs the batch
// did not compare: the latent's explanation vectors are looked up in the
// vector index and their nearest explanations within the target SAE returned.
import type { Env } from "../env";
import { vectorBackend } from "../search/backend";
import { IndexUnavailable } from "../search/vectors/vector-index";
import { ApiError } from "../errors";
import type { LatentMatch } from "./matches";
import { type ModelScope, type SaeInfo, featureKey, firstExplanations } from "./release";

/** What live matching needs from the vector index. */
export interface ExplanationNeighbours {
  /** The stored vectors of these explanations (by explanation id); missing ids are left out. */
  vectors(ids: number[]): Promise<Map<number, Float32Array>>;
  /** The k explanations of `sae` nearest to `vector`, best first, cosine scores. */
  nearestInSae(vector: Float32Array, sae: string, k: number): Promise<{ sae: string; index: number; score: number }[]>;
}

export async function liveMatches(
  env: Env,
  scope: ModelScope,
  sae: SaeInfo,
  index: number,
  target: SaeInfo,
  limit: number,
  neighbours?: ExplanationNeighbours,
): Promise<LatentMatch[]> {
  if (target.id === sae.id) throw new ApiError("BAD_REQUEST", "target must be another SAE than the latent's own");
  const { results } = await env.DB.prepare("SELECT id FROM explanations WHERE release = ? AND sae = ? AND idx = ? ORDER BY id")
    .bind(scope.release, sae.id, index)
    .all<{ id: number }>();
  if (results.length === 0) throw new ApiError("NOT_FOUND", `${sae.id}/${index} has no explanation to match by`);
  const index_ = neighbours ?? (await openNeighbours(env, scope));
  const vectors = await index_.vectors(results.map((r) => r.id));
  if (vectors.size === 0) throw new ApiError("UNAVAILABLE", `the vector index holds no vector for ${sae.id}/${index}`);

  // A partner found through several of the latent's explanations keeps its best score.
  const best = new Map<string, { sae: string; index: number; score: number }>();
  for (const vector of vectors.values()) {
    for (const hit of await index_.nearestInSae(vector, target.id, limit)) {
      const key = featureKey(hit.sae, hit.index);
      const seen = best.get(key);
      if (!seen || hit.score > seen.score) best.set(key, hit);
    }
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, limit);
  const labels = await firstExplanations(env, scope, ranked);
  return ranked.map((m, rank) => ({
    sae: m.sae,
    layer: target.layer,
    index: m.index,
    method: "explanation_cosine" as const,
    rank,
    score: m.score,
    explanation: labels.get(featureKey(m.sae, m.index)) ?? null,
  }));
}

/** The deployment's vector backend (in-isolate index or Vectorize), as search configures it. */
async function openNeighbours(env: Env, scope: ModelScope): Promise<ExplanationNeighbours> {
  const backend = vectorBackendOrUnavailable(env);
  const ref = { model: scope.modelId, release: scope.release };
  return {
    vectors: async (ids) => {
      const found = await unavailableOnIndexError(() => backend.vectorsOf(ref, ids));
      const out = new Map<number, Float32Array>();
      found.forEach((v, i) => v && out.set(ids[i]!, v));
      return out;
    },
    nearestInSae: async (vector, sae, k) => {
      // A latent may own several explanations; ask for more rows so that k distinct latents remain after merging.
      const hits = await unavailableOnIndexError(() => backend.query(ref, vector, Math.min(k * 2, 200), { saes: [sae] }));
      return hits.map((h) => ({ sae: h.sae, index: h.index, score: h.score }));
    },
  };
}

function vectorBackendOrUnavailable(env: Env) {
  try {
    return vectorBackend(env);
  } catch (err) {
    if (err instanceof IndexUnavailable) throw new ApiError("UNAVAILABLE", err.message);
    throw err;
  }
}

async function unavailableOnIndexError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof IndexUnavailable) throw new ApiError("UNAVAILABLE", err.message);
    throw err;
  }
}
