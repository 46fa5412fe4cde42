// The query embedder of this deployment (EMBEDDER in wrangler.toml), built
// once per isolate: loading the ONNX model costs a few hundred milliseconds
// and then serves every request of the isolate.
import type { Env } from "../../env";
import { IsolateCache } from "../../isolate-cache";
import { CachedEmbedder } from "./cached-embedder";
import { EmbedderUnavailable, type Embedder } from "./embedder";
import { OnnxEmbedder } from "./onnx-embedder";
import { WorkersAiEmbedder, type AiBinding } from "./workers-ai-embedder";

// One entry: the deployment's ONNX embedder (IsolateCache shares only a loaded one).
const onnx = new IsolateCache<"onnx", Embedder>(1);

/** Query vectors kept per isolate; QUERY_CACHE_SIZE=0 turns the cache off (the latency bench does, so every request embeds). */
const DEFAULT_QUERY_CACHE = 512;

export function queryEmbedder(env: Env & { QUERY_CACHE_SIZE?: string }): Promise<Embedder> {
  if (env.EMBEDDER === "workers-ai") {
    if (!env.AI) return Promise.reject(new EmbedderUnavailable("EMBEDDER is workers-ai but the AI binding is missing"));
    return Promise.resolve(new WorkersAiEmbedder(env.AI as unknown as AiBinding));
  }
  // A missing model is not cached: the next request tries again (it may be uploaded meanwhile).
  return onnx.get("onnx", async () => {
    const capacity = Number(env.QUERY_CACHE_SIZE ?? DEFAULT_QUERY_CACHE);
    const embedder = await OnnxEmbedder.fromR2(env.BLOBS);
    return capacity > 0 ? new CachedEmbedder(embedder, capacity) : embedder;
  });
}

/** The ONNX query embedder if this isolate has loaded it (for the isolate memory report). */
export function loadedOnnxEmbedder(): Embedder | undefined {
  return onnx.held()[0];
}
