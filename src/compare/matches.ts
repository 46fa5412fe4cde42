// Stored cross-SAE matches of one latent, as the batch computed them
// (decoder cosine, explanation-embedding cosine, one-to-one assignment).
import type { Env } from "../env";
import { ApiError } from "../errors";
import type { MatchMethod } from "./params";
import { type ModelScope, type SaeInfo, featureKey, firstExplanations, listSaes, resolveSae } from "./release";

export interface LatentMatch {
  sae: string;
  layer: number;
  index: number;
  method: MatchMethod;
  rank: number;
  score: number;
  explanation: string | null;
}

export interface MatchQuery {
  /** Restrict to one partner SAE; all partners when absent. */
  target?: string;
  methods: MatchMethod[];
  /** Per partner SAE and method. */
  limit: number;
}

export async function storedMatches(env: Env, scope: ModelScope, sae: SaeInfo, index: number, q: MatchQuery): Promise<LatentMatch[]> {
  if (q.target !== undefined) {
    if (q.target === sae.id) throw new ApiError("BAD_REQUEST", "target must be another SAE than the latent's own");
    await resolveSae(env, scope, q.target);
  }
  const { results } = await env.DB.prepare(
    `SELECT sae_b AS sae, idx_b AS idx, method, rank, score FROM matches
     WHERE release = ?1 AND sae_a = ?2 AND idx_a = ?3 AND (?4 IS NULL OR sae_b = ?4)
       AND method IN (SELECT value FROM json_each(?5)) AND rank < ?6
     ORDER BY sae_b, method, rank`,
  )
    .bind(scope.release, sae.id, index, q.target ?? null, JSON.stringify(q.methods), q.limit)
    .all<{ sae: string; idx: number; method: MatchMethod; rank: number; score: number }>();
  const layers = new Map((await listSaes(env, scope)).map((s) => [s.id, s.layer]));
  const labels = await firstExplanations(env, scope, results.map((r) => ({ sae: r.sae, index: r.idx })));
  const out = results.map((r) => ({
    sae: r.sae,
    layer: layers.get(r.sae) ?? -1,
    index: r.idx,
    method: r.method,
    rank: r.rank,
    score: r.score,
    explanation: labels.get(featureKey(r.sae, r.idx)) ?? null,
  }));
  // Nearest layers first: the neighbour a reader looks for is usually one layer away.
  return out.sort((a, b) => Math.abs(a.layer - sae.layer) - Math.abs(b.layer - sae.layer) || a.layer - b.layer || a.sae.localeCompare(b.sae) || a.method.localeCompare(b.method) || a.rank - b.rank);
}
