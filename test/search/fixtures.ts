// Reading repository files from inside workerd tests, through SEARCH_FIXTURES.
import { env } from "cloudflare:workers";
import { ONNX_MODEL_KEYS } from "../../src/search/embed/onnx-embedder";

export async function fixtureBytes(rel: string): Promise<Uint8Array> {
  const res = await env.SEARCH_FIXTURES.fetch(`http://fixtures/${rel}`);
  if (!res.ok) throw new Error(`fixture ${rel}: ${res.status} ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function fixtureText(rel: string): Promise<string> {
  return new TextDecoder().decode(await fixtureBytes(rel));
}

/** Puts the query-embedding model files into the test's R2, where the Worker reads them. */
export async function putModelFiles(bucket: R2Bucket = env.BLOBS): Promise<void> {
  await Promise.all([
    bucket.put(ONNX_MODEL_KEYS.model, await fixtureBytes("models/all-minilm-l6-v2-q8mix/model.onnx")),
    bucket.put(ONNX_MODEL_KEYS.weights, await fixtureBytes("models/all-minilm-l6-v2-q8mix/model.onnx.data")),
    bucket.put(ONNX_MODEL_KEYS.tokenizer, await fixtureBytes("models/all-minilm-l6-v2-q8mix/tokenizer.json")),
  ]);
}
