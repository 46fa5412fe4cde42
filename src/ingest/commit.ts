// Switching a release live. Everything is checked first (every file complete,
// stored row counts equal to the manifest's, the search index built); the
// switch itself is one D1 batch, which D1 runs as a single transaction, so
// readers see the old release or the new one and never a mixture.
import type { Env } from "../env";
import { ApiError } from "../errors";
import { prepareSearchIndex } from "../search/prepare";
import { ftsRowId } from "./sql-batches";
import { type ReleaseRecord, failRelease, fileProgress, loadRelease } from "./releases";

/** Stored rows per bundle file, counted from the tables the file fills. */
const COUNTS: Record<string, string> = {
  "saes.jsonl": "SELECT count(*) AS n FROM saes WHERE release = ?1",
  "vocab.jsonl": "SELECT count(*) AS n FROM vocab WHERE release = ?1",
  "latents.jsonl": "SELECT count(*) AS n FROM latents WHERE release = ?1",
  "explanations.jsonl": "SELECT count(*) AS n FROM explanations WHERE release = ?1",
  "scores.jsonl": "SELECT count(*) AS n FROM scores WHERE release = ?1",
  "examples.jsonl": "SELECT coalesce(sum(count), 0) AS n FROM example_refs WHERE release = ?1",
  "decodings.jsonl": "SELECT count(*) AS n FROM decodings WHERE release = ?1",
  "token_index.jsonl": "SELECT count(*) AS n FROM token_index WHERE release = ?1",
  "matches.jsonl": "SELECT count(*) AS n FROM matches WHERE release = ?1",
  "sae_pairs.jsonl": "SELECT count(*) AS n FROM sae_pairs WHERE release = ?1",
};

export async function commitRelease(env: Env, id: number): Promise<ReleaseRecord> {
  const release = await loadRelease(env, id);
  if (release.record.status === "active") return release.record;
  if (release.record.status !== "staging") {
    throw new ApiError("CONFLICT", `release ${id} is ${release.record.status}; only a staging release can be committed`);
  }
  const progress = await fileProgress(env, release);
  const missing = progress.filter((p) => !p.complete);
  if (missing.length) {
    throw new ApiError("CONFLICT", `not complete: ${missing.map((p) => `${p.file} (${p.rowsDone}/${p.rows} rows)`).join(", ")}`);
  }
  const files = progress.filter((p) => COUNTS[p.file]);
  const counted = await env.DB.batch<{ n: number }>([
    ...files.map((p) => env.DB.prepare(COUNTS[p.file]!).bind(id)),
    env.DB.prepare("SELECT count(*) AS n FROM explanations_fts WHERE rowid BETWEEN ? AND ?").bind(ftsRowId(id, 0), ftsRowId(id, 2 ** 32 - 1)),
  ]);
  const wrong: string[] = [];
  files.forEach((p, i) => {
    const n = counted[i]!.results[0]!.n;
    if (n !== p.rows) wrong.push(`${p.file}: ${n} rows stored, manifest says ${p.rows}`);
  });
  const fts = counted[files.length]!.results[0]!.n;
  const explanations = release.manifest.files["explanations.jsonl"]?.rows ?? 0;
  if (fts !== explanations) wrong.push(`explanations_fts: ${fts} rows stored, manifest says ${explanations}`);
  if (wrong.length) {
    await failRelease(env, id, wrong.join("; "));
    throw new ApiError("UNPROCESSABLE", wrong.join("; "));
  }
  await prepareSearchIndex(env, id);
  const m = release.manifest.model;
  await env.DB.batch([
    env.DB.prepare("UPDATE releases SET status = 'retired' WHERE model_id = ? AND status = 'active' AND id != ?").bind(m.id, id),
    env.DB.prepare("UPDATE releases SET status = 'active', activated_at = CURRENT_TIMESTAMP, error = NULL WHERE id = ?").bind(id),
    env.DB.prepare(
      `UPDATE models SET active_release = ?, display_name = ?, architecture = ?, n_layers = ?, d_model = ?, d_mlp = ?,
       vocab_size = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?`,
    ).bind(id, m.displayName, m.architecture, m.nLayers, m.dModel, m.dMlp, m.vocabSize, m.id),
  ]);
  return (await loadRelease(env, id)).record;
}
