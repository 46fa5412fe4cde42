// Removes every row and blob of a release that no reader can see any more
// (retired, failed, or an abandoned staging one). Deletes run in bounded
// chunks so a large release never needs one huge D1 statement.
import type { Env } from "../env";
import { ApiError } from "../errors";
import { releasePrefix } from "./blob-keys";
import { loadRelease } from "./releases";
import { ftsRowId } from "./sql-batches";

const RELEASE_TABLES = [
  "saes", "latents", "explanations", "scores", "example_refs", "vocab", "decodings", "token_index", "matches", "sae_pairs", "release_files",
] as const;
const CHUNK = 5000;

async function deleteChunked(db: D1Database, table: string, where: string, ...params: number[]): Promise<void> {
  for (;;) {
    const result = await db
      .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${CHUNK})`)
      .bind(...params)
      .run();
    if (result.meta.changes < CHUNK) return;
  }
}

export async function deleteRelease(env: Env, id: number): Promise<void> {
  const release = await loadRelease(env, id);
  if (release.record.status === "active") {
    throw new ApiError("CONFLICT", `release ${id} is serving; activate another release of ${release.record.modelId} first`);
  }
  // Mark it first so an ingest cannot resume into a half-deleted release.
  await env.DB.prepare("UPDATE releases SET status = 'failed', error = 'being deleted' WHERE id = ?").bind(id).run();
  for (const table of RELEASE_TABLES) await deleteChunked(env.DB, table, "release = ?", id);
  await deleteChunked(env.DB, "explanations_fts", "rowid BETWEEN ? AND ?", ftsRowId(id, 0), ftsRowId(id, 2 ** 32 - 1));
  let cursor: string | undefined;
  do {
    const page = await env.BLOBS.list({ prefix: releasePrefix(id), cursor });
    if (page.objects.length) await env.BLOBS.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  await env.DB.prepare("DELETE FROM releases WHERE id = ?").bind(id).run();
}
