// Stores one uploaded part of one bundle file. Parts arrive in line order;
// a part that starts at or before the recorded progress is a retry and is
// re-applied (inserts replace on natural keys), a part past it is a gap.
import type { BundleFile, JsonlFile } from "../bundle";
import { BUNDLE_FILES, BundleError, VECTORS_FILE, checkVectors, jsonlLines, newRowContext, parseRows } from "../bundle";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { vectorPartKey } from "./blob-keys";
import { type FileProgress, type LoadedRelease, failRelease, fileProgress, loadRelease } from "./releases";
import { writeRows } from "./row-writers";

export function isBundleFile(name: string): name is BundleFile {
  return (BUNDLE_FILES as readonly string[]).includes(name);
}

async function saeWidths(env: Env, release: number): Promise<Map<string, number>> {
  const { results } = await env.DB.prepare("SELECT id, width FROM saes WHERE release = ?").bind(release).all<{ id: string; width: number }>();
  return new Map(results.map((r) => [r.id, r.width]));
}

export async function ingestPart(
  env: Env,
  releaseId: number,
  file: string,
  firstLine: number,
  body: Uint8Array,
): Promise<FileProgress> {
  const release = await loadRelease(env, releaseId);
  if (release.record.status !== "staging") {
    throw new ApiError("CONFLICT", `release ${releaseId} is ${release.record.status}; only a staging release takes parts`);
  }
  if (!isBundleFile(file) || !release.manifest.files[file]) {
    throw new ApiError("BAD_REQUEST", `${file} is not a file of this release's manifest`);
  }
  const progress = await fileProgress(env, release);
  const mine = progress.find((p) => p.file === file)!;
  if (firstLine - 1 > mine.rowsDone) {
    throw new ApiError("CONFLICT", `${file}: part starts at line ${firstLine} but only ${mine.rowsDone} rows are stored`);
  }
  if (file !== "saes.jsonl" && !progress.find((p) => p.file === "saes.jsonl")?.complete) {
    throw new ApiError("CONFLICT", "saes.jsonl must be complete before other files");
  }
  let rows: number;
  try {
    rows = file === VECTORS_FILE
      ? await storeVectors(env, release, firstLine, body)
      : await storeRows(env, release, file, firstLine, body);
  } catch (err) {
    if (err instanceof BundleError) {
      await failRelease(env, releaseId, err.message);
      throw new ApiError("UNPROCESSABLE", err.message);
    }
    throw err;
  }
  const rowsDone = Math.max(mine.rowsDone, firstLine - 1 + rows);
  if (rowsDone > mine.rows) {
    const message = `${file}: ${rowsDone} rows uploaded, manifest says ${mine.rows}`;
    await failRelease(env, releaseId, message);
    throw new ApiError("UNPROCESSABLE", message);
  }
  const complete = rowsDone === mine.rows;
  await env.DB.prepare(
    `INSERT INTO release_files (release, file, parts_done, rows_done, complete) VALUES (?, ?, 1, ?, ?)
     ON CONFLICT (release, file) DO UPDATE SET parts_done = parts_done + 1, rows_done = excluded.rows_done, complete = excluded.complete`,
  )
    .bind(releaseId, file, rowsDone, complete ? 1 : 0)
    .run();
  return { file, partsDone: mine.partsDone + 1, rowsDone, rows: mine.rows, complete };
}

async function storeVectors(env: Env, release: LoadedRelease, firstRow: number, body: Uint8Array): Promise<number> {
  const rows = checkVectors(body, release.manifest.embedding.dim, firstRow - 1);
  await env.BLOBS.put(vectorPartKey(release.record.id, firstRow - 1), body);
  return rows;
}

async function storeRows(env: Env, release: LoadedRelease, file: JsonlFile, firstLine: number, body: Uint8Array): Promise<number> {
  const lines = jsonlLines(file, body);
  const m = release.manifest;
  const ctx = newRowContext({
    saeWidths: file === "saes.jsonl" ? new Map() : await saeWidths(env, release.record.id),
    nLayers: m.model.nLayers,
    vocabSize: m.model.vocabSize,
    explanationCount: m.files["explanations.jsonl"]?.rows ?? 0,
  });
  const rows = parseRows(file, lines, firstLine, ctx);
  const write = writeRows(file, rows, { db: env.DB, release: release.record.id, modelId: m.model.id, firstLine });
  if (write.blob) await env.BLOBS.put(write.blob.key, write.blob.body);
  if (write.statements.length) await env.DB.batch(write.statements);
  return rows.length;
}
