// The query embedder of this deployment (EMBEDDER in wrangler.toml), built
// once per isolate: loading the ONNX model costs a few hundred milliseconds
// and then serves every request of the isolate.
import type { Env } from "../../env";
import { CachedEmbedder } from "./cached-embedder";
import { EmbedderUnavailable, type Embedder } from "./embedder";
import { OnnxEmbedder } from "./onnx-embedder";
import { WorkersAiEmbedder, type AiBinding } from "./workers-ai-embedder";

let onnx: Promise<Embedder> | undefined;

export function queryEmbedder(env: Env): Promise<Embedder> {
  if (env.EMBEDDER === "workers-ai") {
    if (!env.AI) return Promise.reject(new EmbedderUnavailable("EMBEDDER is workers-ai but the AI binding is missing"));
    return Promise.resolve(new WorkersAiEmbedder(env.AI as unknown as AiBinding));
  }
  if (!onnx) {
    onnx = OnnxEmbedder.fromR2(env.BLOBS).then((e) => new CachedEmbedder(e));
    // A missing model is retried on the next request (it may be uploaded meanwhile).
    onnx.catch(() => (onnx = undefined));
  }
  return onnx;
}
