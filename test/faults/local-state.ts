// Reads a local Worker's persisted state (wrangler dev --persist-to) straight
// from its SQLite files, read-only: rows per table of one release in D1, and
// object keys and sizes in R2. The fault drivers count what is really stored
// rather than trusting the Worker's own progress records.
import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

function sqliteIn(dir: string): string {
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no database file in ${dir}`);
  return path.join(dir, file);
}

const open = (file: string) => new DatabaseSync(file, { readOnly: true });

export const d1File = (state: string) => sqliteIn(path.join(state, "v3", "d1", "miniflare-D1DatabaseObject"));
export const r2File = (state: string) => sqliteIn(path.join(state, "v3", "r2", "miniflare-R2BucketObject"));

export interface ReleaseRow {
  id: number;
  model_id: string;
  bundle_id: string;
  status: string;
}

export function releases(state: string): ReleaseRow[] {
  const db = open(d1File(state));
  try {
    return db.prepare("SELECT id, model_id, bundle_id, status FROM releases ORDER BY id").all() as unknown as ReleaseRow[];
  } finally {
    db.close();
  }
}

export function activeRelease(state: string, model: string): number | null {
  const db = open(d1File(state));
  try {
    const row = db.prepare("SELECT active_release AS r FROM models WHERE id = ?").get(model) as { r: number | null } | undefined;
    return row?.r ?? null;
  } finally {
    db.close();
  }
}

/** Stored rows of one release, keyed by the bundle file they come from. */
export function storedRows(state: string, release: number): Record<string, number> {
  const db = open(d1File(state));
  const count = (sql: string) => Number((db.prepare(sql).get(release) as { n: number | null }).n ?? 0);
  try {
    const lo = BigInt(release) << 32n;
    const fts = Number(
      (db.prepare("SELECT count(*) AS n FROM explanations_fts WHERE rowid >= ? AND rowid < ?").get(lo, lo + (1n << 32n)) as { n: number }).n,
    );
    return {
      "saes.jsonl": count("SELECT count(*) AS n FROM saes WHERE release = ?"),
      "latents.jsonl": count("SELECT count(*) AS n FROM latents WHERE release = ?"),
      "explanations.jsonl": count("SELECT count(*) AS n FROM explanations WHERE release = ?"),
      "scores.jsonl": count("SELECT count(*) AS n FROM scores WHERE release = ?"),
      "examples.jsonl": count("SELECT sum(count) AS n FROM example_refs WHERE release = ?"),
      "vocab.jsonl": count("SELECT count(*) AS n FROM vocab WHERE release = ?"),
      "decodings.jsonl": count("SELECT count(*) AS n FROM decodings WHERE release = ?"),
      "token_index.jsonl": count("SELECT count(*) AS n FROM token_index WHERE release = ?"),
      "matches.jsonl": count("SELECT count(*) AS n FROM matches WHERE release = ?"),
      "sae_pairs.jsonl": count("SELECT count(*) AS n FROM sae_pairs WHERE release = ?"),
      "explanations_fts (rows)": fts,
    };
  } finally {
    db.close();
  }
}

export interface R2Object {
  key: string;
  size: number;
}

export function r2Objects(state: string, prefix: string): R2Object[] {
  const db = open(r2File(state));
  try {
    return db.prepare("SELECT key, size FROM _mf_objects WHERE key >= ? AND key < ? ORDER BY key").all(prefix, prefix + "\uffff") as unknown as R2Object[];
  } finally {
    db.close();
  }
}

export function exampleRef(state: string, release: number): { sae: string; idx: number; blob_key: string } {
  const db = open(d1File(state));
  try {
    const row = db.prepare("SELECT sae, idx, blob_key FROM example_refs WHERE release = ? ORDER BY sae, idx LIMIT 1").get(release);
    if (!row) throw new Error(`release ${release} has no examples`);
    return row as unknown as { sae: string; idx: number; blob_key: string };
  } finally {
    db.close();
  }
}
