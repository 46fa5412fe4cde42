// What search holds in this isolate's memory: the in-isolate indexes, the
// query model's WebAssembly heap (weights, activations) and the query vector
// cache. A Worker isolate has 128 MB; workerd reports no per-isolate heap, so
// these are the figures this code can account for. Served by GET /admin/isolate.
import { CachedEmbedder } from "./embed/cached-embedder";
import { runtimeMemoryBytes } from "./embed/ort-runtime";
import { loadedOnnxEmbedder } from "./embed/select-embedder";
import { cachedIndexes } from "./vectors/local-backend";

export interface IsolateMemory {
  indexes: { release: number; rows: number; bytes: number; exactScores: boolean; signBits: boolean }[];
  queryModel: { loaded: boolean; wasmMemoryBytes: number | null; cachedQueries: number; cacheCapacity: number };
  /** Index bytes plus the model's WebAssembly memory. */
  accountedBytes: number;
}

export function isolateMemory(): IsolateMemory {
  const indexes = cachedIndexes().map((i) => ({
    release: i.header.release,
    rows: i.rows,
    bytes: i.bytes,
    exactScores: i.exactScores,
    signBits: i.hasSignBits,
  }));
  const embedder = loadedOnnxEmbedder();
  const wasm = runtimeMemoryBytes();
  const cache = embedder instanceof CachedEmbedder ? embedder.held : { entries: 0, capacity: 0 };
  return {
    indexes,
    queryModel: { loaded: embedder !== undefined, wasmMemoryBytes: wasm, cachedQueries: cache.entries, cacheCapacity: cache.capacity },
    accountedBytes: indexes.reduce((sum, i) => sum + i.bytes, 0) + (wasm ?? 0),
  };
}
