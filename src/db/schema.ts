// D1 schema. Every row of feature data belongs to a release (an ingested
// bundle, integer id); a model serves exactly one active release at a time, so
// switching `models.activeRelease` is the atomic moment a new bundle goes live,
// and a half-ingested release is never read.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const models = sqliteTable("models", {
  id: text("id").primaryKey(),
  displayName: text("display_name"),
  architecture: text("architecture"),
  nLayers: integer("n_layers"),
  dModel: integer("d_model"),
  dMlp: integer("d_mlp"),
  vocabSize: integer("vocab_size"),
  /** The release readers see; null until the first ingest completes. */
  activeRelease: integer("active_release"),
  updatedAt: text("updated_at").notNull().default(sql`CURRENT_TIMESTAMP`),
});

export const releases = sqliteTable(
  "releases",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    modelId: text("model_id").notNull(),
    bundleId: text("bundle_id").notNull(),
    /** sha256 of manifest.json: the same bundle ingested twice maps to the same release. */
    manifestSha256: text("manifest_sha256").notNull(),
    manifest: text("manifest", { mode: "json" }).notNull(),
    /** staging -> active -> retired; failed when refused after staging began. */
    status: text("status", { enum: ["staging", "active", "retired", "failed"] }).notNull(),
    error: text("error"),
    createdAt: text("created_at").notNull().default(sql`CURRENT_TIMESTAMP`),
    activatedAt: text("activated_at"),
  },
  (t) => [uniqueIndex("releases_manifest").on(t.modelId, t.manifestSha256)],
);

/** Ingest progress per file, so an interrupted ingest resumes where it stopped. */
export const releaseFiles = sqliteTable(
  "release_files",
  {
    release: integer("release").notNull(),
    file: text("file").notNull(),
    partsDone: integer("parts_done").notNull().default(0),
    rowsDone: integer("rows_done").notNull().default(0),
    complete: integer("complete", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.release, t.file] })],
);

export const saes = sqliteTable(
  "saes",
  {
    release: integer("release").notNull(),
    id: text("id").notNull(),
    modelId: text("model_id").notNull(),
    hookpoint: text("hookpoint").notNull(),
    layer: integer("layer").notNull(),
    site: text("site").notNull(),
    kind: text("kind").notNull(),
    architecture: text("architecture").notNull(),
    width: integer("width").notNull(),
    k: integer("k"),
    dIn: integer("d_in"),
    stats: text("stats", { mode: "json" }).$type<Record<string, number>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.id] }), index("saes_layer").on(t.release, t.layer)],
);

export const latents = sqliteTable(
  "latents",
  {
    release: integer("release").notNull(),
    sae: text("sae").notNull(),
    idx: integer("idx").notNull(),
    density: real("density"),
    maxActivation: real("max_activation"),
    meanActivation: real("mean_activation"),
    nActivations: integer("n_activations"),
  },
  (t) => [primaryKey({ columns: [t.release, t.sae, t.idx] })],
);

export const explanations = sqliteTable(
  "explanations",
  {
    release: integer("release").notNull(),
    /** Row number in the bundle's explanations.jsonl = row of its vector. */
    id: integer("id").notNull(),
    sae: text("sae").notNull(),
    idx: integer("idx").notNull(),
    text: text("text").notNull(),
    explainer: text("explainer").notNull(),
    method: text("method").notNull(),
    promptVersion: text("prompt_version"),
  },
  (t) => [primaryKey({ columns: [t.release, t.id] }), index("explanations_latent").on(t.release, t.sae, t.idx)],
);

export const scores = sqliteTable(
  "scores",
  {
    release: integer("release").notNull(),
    explanation: integer("explanation").notNull(),
    scorer: text("scorer").notNull(),
    value: real("value").notNull(),
    n: integer("n").notNull(),
    details: text("details", { mode: "json" }),
  },
  (t) => [primaryKey({ columns: [t.release, t.explanation, t.scorer] })],
);

/**
 * Top activating examples live in R2 (they are most of a bundle's bytes); D1
 * keeps one row per latent pointing at a byte range of a packed R2 object, so
 * a latent's examples cost one ranged R2 read.
 */
export const exampleRefs = sqliteTable(
  "example_refs",
  {
    release: integer("release").notNull(),
    sae: text("sae").notNull(),
    idx: integer("idx").notNull(),
    blobKey: text("blob_key").notNull(),
    offset: integer("offset").notNull(),
    length: integer("length").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.sae, t.idx] })],
);

export const vocab = sqliteTable(
  "vocab",
  {
    release: integer("release").notNull(),
    tokenId: integer("token_id").notNull(),
    token: text("token").notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.tokenId] }), index("vocab_token").on(t.release, t.token)],
);

/** LM-head decodings; `top`/`bottom` are JSON arrays of [tokenId, value]. */
export const decodings = sqliteTable(
  "decodings",
  {
    release: integer("release").notNull(),
    sae: text("sae").notNull(),
    idx: integer("idx").notNull(),
    direction: text("direction").notNull(),
    top: text("top", { mode: "json" }).$type<[number, number][]>().notNull(),
    bottom: text("bottom", { mode: "json" }).$type<[number, number][]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.sae, t.idx, t.direction] })],
);

/** Reverse decodings: token -> features; `entries` is a JSON array of [sae, idx, value]. */
export const tokenIndex = sqliteTable(
  "token_index",
  {
    release: integer("release").notNull(),
    tokenId: integer("token_id").notNull(),
    direction: text("direction").notNull(),
    entries: text("entries", { mode: "json" }).$type<[string, number, number][]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.tokenId, t.direction] })],
);

export const matches = sqliteTable(
  "matches",
  {
    release: integer("release").notNull(),
    saeA: text("sae_a").notNull(),
    idxA: integer("idx_a").notNull(),
    saeB: text("sae_b").notNull(),
    method: text("method").notNull(),
    rank: integer("rank").notNull(),
    idxB: integer("idx_b").notNull(),
    score: real("score").notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.saeA, t.idxA, t.saeB, t.method, t.rank] })],
);

export const saePairs = sqliteTable(
  "sae_pairs",
  {
    release: integer("release").notNull(),
    saeA: text("sae_a").notNull(),
    saeB: text("sae_b").notNull(),
    method: text("method").notNull(),
    nA: integer("n_a").notNull(),
    nB: integer("n_b").notNull(),
    threshold: real("threshold").notNull(),
    matchedFraction: real("matched_fraction").notNull(),
    meanMatchedScore: real("mean_matched_score").notNull(),
    medianMatchedScore: real("median_matched_score").notNull(),
    histogram: text("histogram", { mode: "json" }).$type<{ edges: number[]; counts: number[] }>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.saeA, t.saeB, t.method] })],
);

/** API keys are stored as sha256 hashes only; the key itself is shown once at creation. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    hash: text("hash").notNull(),
    name: text("name").notNull(),
    scope: text("scope", { enum: ["admin", "read"] }).notNull(),
    createdAt: text("created_at").notNull().default(sql`CURRENT_TIMESTAMP`),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash)],
);
