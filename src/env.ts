// Bindings and variables the Worker runs with (see wrangler.toml).
export interface Env {
  DB: D1Database;
  BLOBS: R2Bucket;
  /** Cloudflare Vectorize index; absent in local mode and tests (not simulated locally). */
  VECTORS?: VectorizeIndex;
  /** Workers AI; absent in local mode and tests (not simulated locally). */
  AI?: Ai;
  EMBEDDING_MODEL: string;
  EMBEDDING_DIM: string;
  VECTOR_BACKEND: "local" | "vectorize";
  EMBEDDER: "onnx" | "workers-ai";
  RATE_LIMIT_ANON: string;
  RATE_LIMIT_KEYED: string;
  CORS_ORIGINS: string;
  /** Bootstrap admin key (a secret: `.dev.vars` locally, `wrangler secret put` in production). */
  ADMIN_KEY?: string;
}

/** Per-request values set by middleware. */
export interface Variables {
  requestId: string;
  /** Who is calling: an API key id, or the client address for anonymous reads. */
  clientId: string;
  keyScope: "admin" | "read" | null;
}

export type AppEnv = { Bindings: Env; Variables: Variables };
