import { beforeAll, describe, expect, it } from "vitest";
import { OnnxEmbedder } from "../../src/search/embed/onnx-embedder";
import { fixtureBytes, fixtureText } from "./fixtures";

/** Written by the batch side (gpu-batch): sentences with their fp32 sentence-transformers vectors. */
const PARITY_FIXTURE = "test/fixtures/embedding-parity.json";
// The design's bar: every query embedding within cosine 0.99 of the batch
// side's fp32 vector for the same text (docs/search.md, "Parity").
const PAIR_FLOOR = 0.99;

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

describe("ONNX query embedder in workerd", () => {
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.fromBytes(
      await fixtureBytes("models/all-minilm-l6-v2-q8mix/model.onnx"),
      await fixtureBytes("models/all-minilm-l6-v2-q8mix/model.onnx.data"),
      await fixtureText("models/all-minilm-l6-v2-q8mix/tokenizer.json"),
    );
  });

  it("returns unit vectors of the model's dimension", async () => {
    const [v] = await embedder.embed(["legal citations and court cases"]);
    expect(v).toHaveLength(384);
    expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
  });

  it("ranks a paraphrase above an unrelated sentence", async () => {
    const [q, near, far] = await embedder.embed([
      "references to court rulings",
      "legal citations and judicial decisions",
      "the letter Z in words",
    ]);
    expect(cosine(q!, near!)).toBeGreaterThan(cosine(q!, far!) + 0.2);
  });

  it("matches the batch side's fp32 embeddings", async () => {
    const pairs = JSON.parse(await fixtureText(PARITY_FIXTURE)) as {
      text: string;
      vector: number[];
    }[];
    expect(pairs.length).toBeGreaterThan(0);
    const vectors = await embedder.embed(pairs.map((p) => p.text));
    const cosines = pairs.map((pair, i) => cosine(vectors[i]!, pair.vector));
    cosines.forEach((c, i) => expect(c, pairs[i]!.text).toBeGreaterThanOrEqual(PAIR_FLOOR));
  });
});
