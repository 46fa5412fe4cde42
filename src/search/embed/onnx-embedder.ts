// all-MiniLM-L6-v2 (int8 ONNX, output projections fp32) run with ONNX Runtime
// Web in the isolate: WordPiece ids -> last hidden state -> mean over tokens -> L2 norm,
// the same pooling sentence-transformers applies on the batch side.
import { EmbedderUnavailable, l2Normalise, type Embedder } from "./embedder";
import { createSession, OrtTensorClass, type OrtSession } from "./ort-runtime";
import { WordPieceTokenizer } from "./wordpiece";

/**
 * Repository folder of the query model, also its R2 key prefix. The mixed
 * int8 build (fp32 output projections) keeps cosine >= 0.99 to the batch
 * side's fp32 vectors; see models/all-minilm-l6-v2-q8mix/README.md.
 */
export const ONNX_MODEL_DIR = "models/all-minilm-l6-v2-q8mix";

/**
 * R2 keys of the model files (scripts/setup-search.sh puts them there
 * locally). The graph and its weights are two files: handed to the runtime as
 * external data, the weights are loaded once into its heap, where a single
 * .onnx file was held twice during session creation (heap 108.5 -> 66.9 MiB;
 * the isolate has 128 MB).
 */
export const ONNX_MODEL_KEYS = {
  model: `${ONNX_MODEL_DIR}/model.onnx`,
  weights: `${ONNX_MODEL_DIR}/model.onnx.data`,
  tokenizer: `${ONNX_MODEL_DIR}/tokenizer.json`,
} as const;
/** The weights file's name as the graph refers to it (its external-data location). */
const WEIGHTS_LOCATION = "model.onnx.data";

export const MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2";
/** sentence-transformers truncates all-MiniLM-L6-v2 input at 256 tokens. */
const MAX_TOKENS = 256;

export class OnnxEmbedder implements Embedder {
  readonly model = MINILM_MODEL_ID;
  readonly dim: number;

  constructor(
    private readonly session: OrtSession,
    readonly tokenizer: WordPieceTokenizer,
  ) {
    this.dim = 384;
  }

  static async fromBytes(model: Uint8Array, weights: Uint8Array, tokenizerJson: string): Promise<OnnxEmbedder> {
    const tokenizer = WordPieceTokenizer.fromJson(tokenizerJson);
    return new OnnxEmbedder(await createSession(model, { location: WEIGHTS_LOCATION, data: weights }), tokenizer);
  }

  static async fromR2(bucket: R2Bucket): Promise<OnnxEmbedder> {
    const [model, weights, tokenizer] = await Promise.all([
      bucket.get(ONNX_MODEL_KEYS.model),
      bucket.get(ONNX_MODEL_KEYS.weights),
      bucket.get(ONNX_MODEL_KEYS.tokenizer),
    ]);
    if (!model || !weights || !tokenizer) {
      const missing = [!model && ONNX_MODEL_KEYS.model, !weights && ONNX_MODEL_KEYS.weights, !tokenizer && ONNX_MODEL_KEYS.tokenizer].filter(Boolean);
      throw new EmbedderUnavailable(`query embedding model not found in R2 (${missing.join(", ")}); run scripts/setup-search.sh`);
    }
    return OnnxEmbedder.fromBytes(new Uint8Array(await model.arrayBuffer()), new Uint8Array(await weights.arrayBuffer()), await tokenizer.text());
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    // One text per run: queries are single, and padding would cost more than it saves.
    const out: Float32Array[] = [];
    for (const text of texts) out.push(await this.embedOne(text));
    return out;
  }

  private async embedOne(text: string): Promise<Float32Array> {
    const { ids } = this.tokenizer.encode(text, MAX_TOKENS);
    const n = ids.length;
    const shape = [1, n];
    const feeds = {
      input_ids: new OrtTensorClass("int64", BigInt64Array.from(ids, BigInt), shape),
      attention_mask: new OrtTensorClass("int64", new BigInt64Array(n).fill(1n), shape),
      token_type_ids: new OrtTensorClass("int64", new BigInt64Array(n), shape),
    };
    const result = await this.session.run(feeds);
    const hidden = result.last_hidden_state;
    if (!hidden) throw new Error("model output lacks last_hidden_state");
    const data = hidden.data as Float32Array; // (1, n, dim)
    const dim = hidden.dims[2] ?? this.dim;
    const pooled = new Float32Array(dim);
    for (let t = 0; t < n; t++) {
      const row = t * dim;
      for (let d = 0; d < dim; d++) pooled[d]! += data[row + d]!;
    }
    for (const tensor of Object.values(result)) tensor.dispose();
    return l2Normalise(pooled);
  }
}
