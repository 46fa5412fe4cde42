// Every read resolves a model's active release once, then reads only rows
// of that release, so a request never mixes two releases even while a new
// one is being switched in.
import type { Manifest } from "../bundle";
import type { Env } from "../env";
import { ApiError } from "../errors";

export interface ActiveModel {
  id: string;
  displayName: string | null;
  architecture: string | null;
  nLayers: number | null;
  dModel: number | null;
  dMlp: number | null;
  vocabSize: number | null;
  release: number;
  bundleId: string;
  activatedAt: string | null;
  manifest: Manifest;
}

export interface ModelRow {
  id: string;
  display_name: string | null;
  architecture: string | null;
  n_layers: number | null;
  d_model: number | null;
  d_mlp: number | null;
  vocab_size: number | null;
  active_release: number;
  bundle_id: string;
  activated_at: string | null;
  manifest: string;
}

const SELECT = `SELECT m.id, m.display_name, m.architecture, m.n_layers, m.d_model, m.d_mlp, m.vocab_size,
  m.active_release, r.bundle_id, r.activated_at, r.manifest
  FROM models m JOIN releases r ON r.id = m.active_release`;

export function activeModelStatement(env: Env, model: string): D1PreparedStatement {
  return env.DB.prepare(`${SELECT} WHERE m.id = ?`).bind(model);
}

/** The active model of a row from activeModelStatement, or null when the model has no live release. */
export function toActiveModel(row: ModelRow | undefined): ActiveModel | null {
  return row ? toActive(row) : null;
}

function toActive(r: ModelRow): ActiveModel {
  return {
    id: r.id,
    displayName: r.display_name,
    architecture: r.architecture,
    nLayers: r.n_layers,
    dModel: r.d_model,
    dMlp: r.d_mlp,
    vocabSize: r.vocab_size,
    release: r.active_release,
    bundleId: r.bundle_id,
    activatedAt: r.activated_at,
    manifest: JSON.parse(r.manifest) as Manifest,
  };
}

export async function activeModels(env: Env): Promise<ActiveModel[]> {
  const { results } = await env.DB.prepare(`${SELECT} ORDER BY m.id`).all<ModelRow>();
  return results.map(toActive);
}

export async function activeModel(env: Env, model: string): Promise<ActiveModel> {
  const row = await env.DB.prepare(`${SELECT} WHERE m.id = ?`).bind(model).first<ModelRow>();
  if (!row) throw new ApiError("NOT_FOUND", `no model ${model} with a live release`);
  return toActive(row);
}

export async function activeModelsById(env: Env, ids: string[]): Promise<Map<string, ActiveModel>> {
  if (!ids.length) return new Map();
  const { results } = await env.DB.prepare(`${SELECT} WHERE m.id IN (${ids.map(() => "?").join(",")})`)
    .bind(...ids)
    .all<ModelRow>();
  return new Map(results.map((r) => [r.id, toActive(r)]));
}

export function releaseInfo(m: ActiveModel) {
  return {
    id: m.release,
    bundleId: m.bundleId,
    activatedAt: m.activatedAt,
    source: m.manifest.source,
    embedding: { model: m.manifest.embedding.model, dim: m.manifest.embedding.dim },
  };
}
