// Release lifecycle: staging -> active -> retired (or failed). A release is
// identified by (model id, sha256 of manifest.json), so the same bundle
// ingested twice resumes or no-ops and a changed bundle is a new release.
import type { Manifest } from "../bundle";
import { BUNDLE_FILES, BundleError, checkEmbedding, parseManifest, sha256Hex } from "../bundle";
import type { Env } from "../env";
import { ApiError } from "../errors";

export type ReleaseStatus = "staging" | "active" | "retired" | "failed";

export interface ReleaseRecord {
  id: number;
  modelId: string;
  bundleId: string;
  manifestSha256: string;
  status: ReleaseStatus;
  error: string | null;
  createdAt: string;
  activatedAt: string | null;
}

export interface FileProgress {
  file: string;
  partsDone: number;
  rowsDone: number;
  rows: number;
  complete: boolean;
}

interface ReleaseRow {
  id: number;
  model_id: string;
  bundle_id: string;
  manifest_sha256: string;
  manifest: string;
  status: ReleaseStatus;
  error: string | null;
  created_at: string;
  activated_at: string | null;
}

function toRecord(r: ReleaseRow): ReleaseRecord {
  return {
    id: r.id,
    modelId: r.model_id,
    bundleId: r.bundle_id,
    manifestSha256: r.manifest_sha256,
    status: r.status,
    error: r.error,
    createdAt: r.created_at,
    activatedAt: r.activated_at,
  };
}

export interface LoadedRelease {
  record: ReleaseRecord;
  manifest: Manifest;
}

export async function loadRelease(env: Env, id: number): Promise<LoadedRelease> {
  const row = await env.DB.prepare("SELECT * FROM releases WHERE id = ?").bind(id).first<ReleaseRow>();
  if (!row) throw new ApiError("NOT_FOUND", `no release ${id}`);
  return { record: toRecord(row), manifest: JSON.parse(row.manifest) as Manifest };
}

export async function listReleases(env: Env): Promise<ReleaseRecord[]> {
  const { results } = await env.DB.prepare("SELECT * FROM releases ORDER BY id").all<ReleaseRow>();
  return results.map(toRecord);
}

export async function fileProgress(env: Env, release: LoadedRelease): Promise<FileProgress[]> {
  const { results } = await env.DB.prepare(
    "SELECT file, parts_done, rows_done, complete FROM release_files WHERE release = ?",
  )
    .bind(release.record.id)
    .all<{ file: string; parts_done: number; rows_done: number; complete: number }>();
  const byFile = new Map(results.map((r) => [r.file, r]));
  return BUNDLE_FILES.filter((f) => release.manifest.files[f]).map((file) => {
    const r = byFile.get(file);
    return {
      file,
      partsDone: r?.parts_done ?? 0,
      rowsDone: r?.rows_done ?? 0,
      rows: release.manifest.files[file]!.rows,
      complete: Boolean(r?.complete),
    };
  });
}

export function edgeEmbedding(env: Env) {
  return { model: env.EMBEDDING_MODEL, dim: Number(env.EMBEDDING_DIM) };
}

/** Creates the release of a manifest, or returns the existing one (resumed if it had failed). */
export async function openRelease(env: Env, manifestText: string): Promise<LoadedRelease & { created: boolean }> {
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestText);
    checkEmbedding(manifest, edgeEmbedding(env));
  } catch (err) {
    if (err instanceof BundleError) throw new ApiError("UNPROCESSABLE", err.message);
    throw err;
  }
  const sha = await sha256Hex(manifestText);
  const existing = await env.DB.prepare("SELECT * FROM releases WHERE model_id = ? AND manifest_sha256 = ?")
    .bind(manifest.model.id, sha)
    .first<ReleaseRow>();
  if (existing) {
    if (existing.status === "failed" || existing.status === "retired") {
      // Rows already stored are keyed on natural keys, so picking up where it stopped is safe.
      await env.DB.prepare("UPDATE releases SET status = 'staging', error = NULL WHERE id = ?").bind(existing.id).run();
      if (existing.status === "retired") {
        await env.DB.prepare("UPDATE release_files SET parts_done = 0, rows_done = 0, complete = 0 WHERE release = ?")
          .bind(existing.id)
          .run();
      }
      return { ...(await loadRelease(env, existing.id)), created: false };
    }
    return { record: toRecord(existing), manifest, created: false };
  }
  const m = manifest.model;
  const inserted = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO models (id, display_name, architecture, n_layers, d_model, d_mlp, vocab_size) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ).bind(m.id, m.displayName, m.architecture, m.nLayers, m.dModel, m.dMlp, m.vocabSize),
    env.DB.prepare(
      "INSERT INTO releases (model_id, bundle_id, manifest_sha256, manifest, status) VALUES (?, ?, ?, ?, 'staging') RETURNING id",
    ).bind(m.id, manifest.bundleId, sha, JSON.stringify(manifest)),
  ]);
  const id = (inserted[1]!.results[0] as { id: number }).id;
  const empty = BUNDLE_FILES.filter((f) => manifest.files[f]?.rows === 0);
  if (empty.length) {
    await env.DB.batch(
      empty.map((f) =>
        env.DB.prepare("INSERT OR REPLACE INTO release_files (release, file, parts_done, rows_done, complete) VALUES (?, ?, 0, 0, 1)").bind(id, f),
      ),
    );
  }
  return { ...(await loadRelease(env, id)), created: true };
}

export async function failRelease(env: Env, id: number, error: string): Promise<void> {
  await env.DB.prepare("UPDATE releases SET status = 'failed', error = ? WHERE id = ? AND status = 'staging'").bind(error, id).run();
}
