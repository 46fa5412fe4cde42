// Turns the validated rows of one uploaded part into D1 statements (and, for
// examples, one packed R2 object). Column values follow src/db/schema.ts:
// decodings keep [tokenId, value] pairs, token_index keeps [sae, idx, value].
import type { JsonlFile, RowOf } from "../bundle";
import { examplePartKey } from "./blob-keys";
import { ftsRowId, insertStatements } from "./sql-batches";

export interface PartWrite {
  statements: D1PreparedStatement[];
  /** R2 object to put before the statements run (packed examples). */
  blob?: { key: string; body: Uint8Array };
}

interface WriteContext {
  db: D1Database;
  release: number;
  modelId: string;
  firstLine: number;
}

const json = (v: unknown) => JSON.stringify(v);

type Writer<F extends JsonlFile> = (rows: RowOf<F>[], ctx: WriteContext) => PartWrite;

const WRITERS: { [F in JsonlFile]: Writer<F> } = {
  "saes.jsonl": (rows, { db, release, modelId }) => ({
    statements: insertStatements(
      db,
      "saes",
      ["release", "id", "model_id", "hookpoint", "layer", "site", "kind", "architecture", "width", "k", "d_in", "stats"],
      rows.map((r) => [release, r.id, modelId, r.hookpoint, r.layer, r.site, r.kind, r.architecture, r.width, r.k, r.dIn, json(r.stats)]),
    ),
  }),
  "vocab.jsonl": (rows, { db, release }) => ({
    statements: insertStatements(db, "vocab", ["release", "token_id", "token"], rows.map((r) => [release, r.id, r.token])),
  }),
  "latents.jsonl": (rows, { db, release }) => ({
    statements: insertStatements(
      db,
      "latents",
      ["release", "sae", "idx", "density", "max_activation", "mean_activation", "n_activations"],
      rows.map((r) => [release, r.sae, r.index, r.density, r.maxActivation, r.meanActivation, r.nActivations]),
    ),
  }),
  "explanations.jsonl": (rows, { db, release }) => ({
    statements: [
      ...insertStatements(
        db,
        "explanations",
        ["release", "id", "sae", "idx", "text", "explainer", "method", "prompt_version"],
        rows.map((r) => [release, r.id, r.sae, r.index, r.text, r.explainer, r.method, r.promptVersion]),
      ),
      ...insertStatements(db, "explanations_fts", ["rowid", "text"], rows.map((r) => [ftsRowId(release, r.id), r.text])),
    ],
  }),
  "scores.jsonl": (rows, { db, release }) => ({
    statements: insertStatements(
      db,
      "scores",
      ["release", "explanation", "scorer", "value", "n", "details"],
      rows.map((r) => [release, r.explanation, r.scorer, r.value, r.n, r.details === null ? null : json(r.details)]),
    ),
  }),
  "examples.jsonl": (rows, ctx) => packExamples(rows, ctx),
  "decodings.jsonl": (rows, { db, release }) => ({
    statements: insertStatements(
      db,
      "decodings",
      ["release", "sae", "idx", "direction", "top", "bottom"],
      rows.map((r) => [
        release,
        r.sae,
        r.index,
        r.direction,
        json(r.top.map((t) => [t.id, t.value])),
        json(r.bottom.map((t) => [t.id, t.value])),
      ]),
    ),
  }),
  "token_index.jsonl": (rows, { db, release }) => ({
    statements: insertStatements(
      db,
      "token_index",
      ["release", "token_id", "direction", "entries"],
      rows.map((r) => [release, r.tokenId, r.direction, json(r.entries.map((e) => [e.sae, e.index, e.value]))]),
    ),
  }),
  "matches.jsonl": (rows, { db, release }) => ({
    statements: insertStatements(
      db,
      "matches",
      ["release", "sae_a", "idx_a", "sae_b", "method", "rank", "idx_b", "score"],
      rows.map((r) => [release, r.saeA, r.indexA, r.saeB, r.method, r.rank, r.indexB, r.score]),
    ),
  }),
  "sae_pairs.jsonl": (rows, { db, release }) => ({
    statements: insertStatements(
      db,
      "sae_pairs",
      ["release", "sae_a", "sae_b", "method", "n_a", "n_b", "threshold", "matched_fraction", "mean_matched_score", "median_matched_score", "histogram"],
      rows.map((r) => [
        release, r.saeA, r.saeB, r.method, r.nA, r.nB, r.threshold, r.matchedFraction, r.meanMatchedScore, r.medianMatchedScore, json(r.histogram),
      ]),
    ),
  }),
};

/** The stored form of one example inside a packed blob (the row minus its latent key). */
export interface StoredExample {
  kind: "top" | "quantile" | "random";
  rank: number;
  quantile: number | null;
  maxActivation: number;
  tokens: string[];
  activations: number[];
}

const KIND_ORDER = { top: 0, quantile: 1, random: 2 } as const;

/**
 * Packs each latent's examples as one JSON array, concatenated into a single
 * R2 object per part; example_refs records each latent's byte range so a read
 * costs one ranged GET.
 */
function packExamples(rows: RowOf<"examples.jsonl">[], { db, release, firstLine }: WriteContext): PartWrite {
  const byLatent = new Map<string, { sae: string; index: number; examples: StoredExample[] }>();
  for (const r of rows) {
    const key = `${r.sae}\u0000${r.index}`;
    let entry = byLatent.get(key);
    if (!entry) byLatent.set(key, (entry = { sae: r.sae, index: r.index, examples: [] }));
    entry.examples.push({
      kind: r.kind, rank: r.rank, quantile: r.quantile, maxActivation: r.maxActivation, tokens: r.tokens, activations: r.activations,
    });
  }
  const key = examplePartKey(release, firstLine);
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const refs: unknown[][] = [];
  let offset = 0;
  for (const { sae, index, examples } of byLatent.values()) {
    examples.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.quantile ?? 0) - (b.quantile ?? 0) || a.rank - b.rank);
    const bytes = encoder.encode(JSON.stringify(examples));
    chunks.push(bytes);
    refs.push([release, sae, index, key, offset, bytes.byteLength, examples.length]);
    offset += bytes.byteLength;
  }
  const body = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return {
    blob: { key, body },
    statements: insertStatements(db, "example_refs", ["release", "sae", "idx", "blob_key", "offset", "length", "count"], refs),
  };
}

export function writeRows<F extends JsonlFile>(file: F, rows: RowOf<F>[], ctx: WriteContext): PartWrite {
  return (WRITERS[file] as Writer<F>)(rows, ctx);
}
