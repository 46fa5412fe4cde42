// The vector backend of this deployment (VECTOR_BACKEND in wrangler.toml).
import type { Env } from "../env";
import { DEFAULT_MAX_ROWS } from "./vectors/local-index";
import { LocalBackend } from "./vectors/local-backend";
import { IndexUnavailable, type VectorIndex } from "./vectors/vector-index";
import { VectorizeBackend, type VectorizeBinding } from "./vectors/vectorize-index";

/** Optional variable read only here: raises the in-isolate index's row limit (the 250k bench sets it). */
type SearchEnv = Env & { SEARCH_INDEX_MAX_ROWS?: string };

export function vectorBackend(env: SearchEnv): VectorIndex {
  if (env.VECTOR_BACKEND === "vectorize") {
    if (!env.VECTORS) throw new IndexUnavailable("VECTOR_BACKEND is vectorize but the VECTORS binding is missing");
    return new VectorizeBackend(env.VECTORS as unknown as VectorizeBinding);
  }
  const maxRows = Number(env.SEARCH_INDEX_MAX_ROWS ?? DEFAULT_MAX_ROWS);
  return new LocalBackend(env.BLOBS, Number.isFinite(maxRows) && maxRows > 0 ? maxRows : DEFAULT_MAX_ROWS);
}
