// Resolves the public names in a URL (model id, SAE id, feature index) to the
// rows of the model's active release, with a 404 that says which part is
// unknown. Every read of compare, decode and the explorer starts here, so a
// half-ingested release is never read.
import type { Env } from "../env";
import { ApiError } from "../errors";
import { IsolateCache } from "../isolate-cache";

export interface ModelScope {
  modelId: string;
  release: number;
  /** sha256 of the release's manifest; null for rows written without a release record (tests). */
  manifestSha256: string | null;
}

export interface SaeInfo {
  id: string;
  layer: number;
  site: string;
  kind: string;
  width: number;
  hookpoint: string;
}

export async function resolveModel(env: Env, modelId: string): Promise<ModelScope> {
  const row = await env.DB.prepare(
    `SELECT m.active_release AS release, r.manifest_sha256 AS sha FROM models AS m
     LEFT JOIN releases AS r ON r.id = m.active_release WHERE m.id = ?`,
  )
    .bind(modelId)
    .first<{ release: number | null; sha: string | null }>();
  if (!row) throw new ApiError("NOT_FOUND", `unknown model ${JSON.stringify(modelId)}`);
  if (row.release === null) throw new ApiError("NOT_FOUND", `model ${JSON.stringify(modelId)} has no ingested release yet`);
  return { modelId, release: row.release, manifestSha256: row.sha };
}

const SAE_COLUMNS = "id, layer, site, kind, width, hookpoint";

/**
 * A release's rows never change once active, so its SAE list is kept per
 * isolate, keyed by release and manifest hash (a release id alone could name
 * other data after a local database is wiped). Saves a query on most reads.
 */
const SAE_CACHE_RELEASES = 16;
const saeCache = new IsolateCache<string, SaeInfo[]>(SAE_CACHE_RELEASES);

async function querySaes(env: Env, release: number): Promise<SaeInfo[]> {
  const { results } = await env.DB.prepare(`SELECT ${SAE_COLUMNS} FROM saes WHERE release = ? ORDER BY layer, id`)
    .bind(release)
    .all<SaeInfo>();
  return results;
}

/** All feature sources of the release, in layer order (then id) so that matrices and menus read top-down. */
export async function listSaes(env: Env, scope: ModelScope): Promise<SaeInfo[]> {
  if (scope.manifestSha256 === null) return querySaes(env, scope.release);
  return saeCache.get(`${scope.release}:${scope.manifestSha256}`, () => querySaes(env, scope.release));
}

export async function resolveSae(env: Env, scope: ModelScope, saeId: string): Promise<SaeInfo> {
  const row = (await listSaes(env, scope)).find((s) => s.id === saeId);
  if (!row) throw new ApiError("NOT_FOUND", `model ${JSON.stringify(scope.modelId)} has no SAE ${JSON.stringify(saeId)}`);
  return row;
}

export function checkIndex(sae: SaeInfo, index: number): void {
  if (index >= sae.width) {
    throw new ApiError("NOT_FOUND", `index ${index} is out of range: ${sae.id} has ${sae.width} features (0..${sae.width - 1})`);
  }
}

/** The neuron set of one layer (kind "neurons"); a model may have one per layer. */
export async function resolveNeuronSet(env: Env, scope: ModelScope, layer: number): Promise<SaeInfo> {
  const row = (await listSaes(env, scope)).find((s) => s.layer === layer && s.kind === "neurons");
  if (!row) throw new ApiError("NOT_FOUND", `model ${JSON.stringify(scope.modelId)} has no neuron set at layer ${layer}`);
  return row;
}

/**
 * The first explanation (lowest id) of each requested feature, for labelling
 * partners and promoters. One query whatever the count: the keys travel as
 * one JSON parameter because D1 caps bound parameters at 100.
 */
export async function firstExplanations(
  env: Env,
  scope: ModelScope,
  keys: { sae: string; index: number }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (keys.length === 0) return out;
  const unique = [...new Map(keys.map((k) => [featureKey(k.sae, k.index), [k.sae, k.index]])).values()];
  const { results } = await env.DB.prepare(
    `SELECT e.sae AS sae, e.idx AS idx, e.text AS text FROM json_each(?) AS j
     JOIN explanations AS e ON e.release = ? AND e.sae = json_extract(j.value, '$[0]') AND e.idx = json_extract(j.value, '$[1]')
     ORDER BY e.id`,
  )
    .bind(JSON.stringify(unique), scope.release)
    .all<{ sae: string; idx: number; text: string }>();
  for (const r of results) {
    const key = featureKey(r.sae, r.idx);
    if (!out.has(key)) out.set(key, r.text);
  }
  return out;
}

export const featureKey = (sae: string, index: number) => `${sae}\u0000${index}`;
