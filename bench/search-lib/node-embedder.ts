// The edge's query embedder run in Node (onnxruntime-web runs there too), for
// figures that need many embeddings: parity with the batch vectors and the
// recall of the in-isolate index against exact search.
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-web";
import { l2Normalise } from "../../src/search/embed/embedder";
import { WordPieceTokenizer } from "../../src/search/embed/wordpiece";

export async function nodeEmbedder(root: string): Promise<(text: string) => Promise<Float32Array>> {
  const dir = path.join(root, "models/all-minilm-l6-v2-q8mix");
  const tokenizer = WordPieceTokenizer.fromJson(await readFile(path.join(dir, "tokenizer.json"), "utf8"));
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(path.join(dir, "model.onnx"))), {
    externalData: [{ path: "model.onnx.data", data: new Uint8Array(await readFile(path.join(dir, "model.onnx.data"))) }],
  });
  return async (text) => {
    const { ids } = tokenizer.encode(text, 256);
    const n = ids.length;
    const shape = [1, n];
    const out = await session.run({
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), shape),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(n).fill(1n), shape),
      token_type_ids: new ort.Tensor("int64", new BigInt64Array(n), shape),
    });
    const hidden = out.last_hidden_state!.data as Float32Array;
    const dim = hidden.length / n;
    const v = new Float32Array(dim);
    for (let t = 0; t < n; t++) for (let d = 0; d < dim; d++) v[d]! += hidden[t * dim + d]!;
    return l2Normalise(v);
  };
}
