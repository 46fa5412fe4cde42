// Reads the explorer pages need beyond the compare/decode services: models,
// a latent's statistics, explanations with scores, and its packed examples.
import type { ModelScope } from "../compare/release";
import type { Env } from "../env";
import type { StoredExample } from "../ingest/row-writers";

export interface ModelSummary {
  id: string;
  displayName: string | null;
  nLayers: number | null;
}

export async function activeModels(env: Env): Promise<ModelSummary[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, display_name AS displayName, n_layers AS nLayers FROM models WHERE active_release IS NOT NULL ORDER BY id",
  ).all<ModelSummary>();
  return results;
}

export interface LatentStats {
  density: number | null;
  maxActivation: number | null;
  meanActivation: number | null;
  nActivations: number | null;
}

export async function latentStats(env: Env, scope: ModelScope, sae: string, index: number): Promise<LatentStats | null> {
  return env.DB.prepare(
    `SELECT density, max_activation AS maxActivation, mean_activation AS meanActivation, n_activations AS nActivations
     FROM latents WHERE release = ? AND sae = ? AND idx = ?`,
  )
    .bind(scope.release, sae, index)
    .first<LatentStats>();
}

export interface ExplanationWithScores {
  id: number;
  text: string;
  explainer: string;
  method: string;
  scores: { scorer: string; value: number; n: number }[];
}

export async function latentExplanations(env: Env, scope: ModelScope, sae: string, index: number): Promise<ExplanationWithScores[]> {
  const { results } = await env.DB.prepare(
    `SELECT e.id, e.text, e.explainer, e.method, s.scorer, s.value, s.n FROM explanations AS e
     LEFT JOIN scores AS s ON s.release = e.release AND s.explanation = e.id
     WHERE e.release = ? AND e.sae = ? AND e.idx = ? ORDER BY e.id, s.scorer`,
  )
    .bind(scope.release, sae, index)
    .all<{ id: number; text: string; explainer: string; method: string; scorer: string | null; value: number | null; n: number | null }>();
  const byId = new Map<number, ExplanationWithScores>();
  for (const r of results) {
    let e = byId.get(r.id);
    if (!e) byId.set(r.id, (e = { id: r.id, text: r.text, explainer: r.explainer, method: r.method, scores: [] }));
    if (r.scorer !== null && r.value !== null) e.scores.push({ scorer: r.scorer, value: r.value, n: r.n ?? 0 });
  }
  return [...byId.values()];
}

/** One example as ingest packs it. */
export type Example = StoredExample;

/** A latent's examples: one D1 row names a byte range of a packed R2 object, read with one ranged GET. */
export async function latentExamples(env: Env, scope: ModelScope, sae: string, index: number): Promise<Example[]> {
  const ref = await env.DB.prepare("SELECT blob_key AS key, offset, length FROM example_refs WHERE release = ? AND sae = ? AND idx = ?")
    .bind(scope.release, sae, index)
    .first<{ key: string; offset: number; length: number }>();
  if (!ref) return [];
  const object = await env.BLOBS.get(ref.key, { range: { offset: ref.offset, length: ref.length } });
  if (!object) return [];
  return JSON.parse(await object.text()) as Example[];
}
