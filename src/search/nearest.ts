// Nearest explanations to a vector, and "more like this" for a latent. These
// are the search module's entry points for other modules (compare uses the
// same backend through vectorBackend()).
import { activeModel } from "../core/active-release";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { vectorBackend } from "./backend";
import type { RankedHit } from "./rank";
import { asUnavailable, withText, type SearchHit } from "./search-service";
import type { VectorHit } from "./vectors/vector-index";

export interface NearestOptions {
  /** Model whose live release is searched. */
  model: string;
  /** Only explanations of these SAEs (all when absent). */
  saes?: string[];
  layers?: number[];
  /** Minimum cosine. */
  minScore?: number;
  limit: number;
}

/**
 * The explanations nearest to `vector` (unit length, the deployment's
 * embedding model and dimension) in the live release of `options.model`,
 * best first, with their cosines (exact up to 20,000 rows a release). Throws ApiError UNAVAILABLE (503)
 * when the release's index cannot be read, NOT_FOUND for an unknown model.
 */
export async function nearestExplanations(env: Env, vector: Float32Array, options: NearestOptions): Promise<VectorHit[]> {
  const m = await activeModel(env, options.model);
  return asUnavailable(() =>
    vectorBackend(env).query({ model: m.id, release: m.release }, vector, options.limit, {
      saes: options.saes,
      layers: options.layers,
      minScore: options.minScore,
    }),
  );
}

export interface SimilarRequest {
  model: string;
  sae: string;
  index: number;
  targetSae?: string;
  limit: number;
  minScore?: number;
}

/** Latents whose explanations are nearest to this latent's, one result per latent, the latent itself left out. */
export async function similarLatents(env: Env, req: SimilarRequest): Promise<SearchHit[]> {
  const m = await activeModel(env, req.model);
  const ref = { model: m.id, release: m.release };
  const { results } = await env.DB.prepare("SELECT id FROM explanations WHERE release = ? AND sae = ? AND idx = ? ORDER BY id")
    .bind(m.release, req.sae, req.index)
    .all<{ id: number }>();
  if (!results.length) throw new ApiError("NOT_FOUND", `no explained latent ${req.model}/${req.sae}/${req.index}`);
  if (req.targetSae) {
    const target = await env.DB.prepare("SELECT 1 AS ok FROM saes WHERE release = ? AND id = ?").bind(m.release, req.targetSae).first();
    if (!target) throw new ApiError("NOT_FOUND", `model ${req.model} has no SAE ${req.targetSae}`);
  }
  const backend = vectorBackend(env);
  const best = new Map<string, RankedHit>();
  await asUnavailable(async () => {
    const vectors = await backend.vectorsOf(ref, results.map((r) => r.id));
    for (const vector of vectors) {
      if (!vector) continue;
      // Room for the latent's own explanations and for latents with several.
      const hits = await backend.query(ref, vector, 2 * req.limit + results.length + 5, {
        saes: req.targetSae ? [req.targetSae] : undefined,
        minScore: req.minScore,
      });
      for (const h of hits) {
        if (h.sae === req.sae && h.index === req.index) continue;
        const key = `${h.sae}|${h.index}`;
        const seen = best.get(key);
        if (!seen || h.score > seen.score) {
          best.set(key, { ...h, model: m.id, semantic: { rank: null, cosine: h.score }, lexical: null });
        }
      }
    }
  });
  const ranked = [...best.values()].sort((a, b) => b.score - a.score).slice(0, req.limit);
  ranked.forEach((h, i) => (h.semantic = { rank: i + 1, cosine: h.score }));
  return withText(env, ranked);
}
