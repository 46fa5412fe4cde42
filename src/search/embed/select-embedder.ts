// The query embedder of this deployment (EMBEDDER in wrangler.toml), built
// once per isolate: loading the ONNX model costs a few hundred milliseconds
// and then serves every request of the isolate.
import type { Env } from "../../env";
import { CachedEmbedder } from "./cached-embedder";
import { EmbedderUnavailable, type Embedder } from "./embedder";
import { OnnxEmbedder } from "./onnx-embedder";
import { WorkersAiEmbedder, type AiBinding } from "./workers-ai-embedder";

let onnx: Promise<Embedder> | undefined;

/** Query vectors kept per isolate; QUERY_CACHE_SIZE=0 turns the cache off (the latency bench does, so every request embeds). */
const DEFAULT_QUERY_CACHE = 512;

export function queryEmbedder(env: Env & { QUERY_CACHE_SIZE?: string }): Promise<Embedder> {
  if (env.EMBEDDER === "workers-ai") {
    if (!env.AI) return Promise.reject(new EmbedderUnavailable("EMBEDDER is workers-ai but the AI binding is missing"));
    return Promise.resolve(new WorkersAiEmbedder(env.AI as unknown as AiBinding));
  }
  if (!onnx) {
    const capacity = Number(env.QUERY_CACHE_SIZE ?? DEFAULT_QUERY_CACHE);
    onnx = OnnxEmbedder.fromR2(env.BLOBS).then((e) => (capacity > 0 ? new CachedEmbedder(e, capacity) : e));
    // A missing model is retried on the next request (it may be uploaded meanwhile).
    onnx.catch(() => (onnx = undefined));
  }
  return onnx;
}
