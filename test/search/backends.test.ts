import { describe, expect, it } from "vitest";
import { WorkersAiEmbedder, type AiBinding } from "../../src/search/embed/workers-ai-embedder";
import { ftsMatchExpression, MAX_QUERY_TERMS, queryTerms } from "../../src/search/lexical/fts-query";
import { upsertReleaseToVectorize, VectorizeBackend, vectorizeFilter, type VectorizeBinding } from "../../src/search/vectors/vectorize-index";
import { env } from "cloudflare:workers";

/** Records calls and answers like the Vectorize binding does. */
function fakeVectorize(matches: { id: string; score: number; metadata?: Record<string, unknown> }[]) {
  const calls: { query: unknown[]; getByIds: string[][]; upsert: unknown[][] } = { query: [], getByIds: [], upsert: [] };
  const binding: VectorizeBinding = {
    async query(vector, options) {
      calls.query.push([vector, options]);
      return { matches };
    },
    async getByIds(ids) {
      calls.getByIds.push(ids);
      return ids.filter((id) => id === "5:2").map((id) => ({ id, values: [0.6, 0.8] }));
    },
    async upsert(vectors) {
      calls.upsert.push(vectors);
      return { mutationId: "m" };
    },
  };
  return { binding, calls };
}

describe("Vectorize backend (fake binding)", () => {
  it("maps a search to a Vectorize query with metadata filters", async () => {
    const { binding, calls } = fakeVectorize([
      { id: "5:9", score: 0.5, metadata: { model: "m", release: 5, sae: "s1", layer: 3, index: 90 } },
      { id: "5:2", score: 0.9, metadata: { model: "m", release: 5, sae: "s2", layer: 4, index: 20 } },
      { id: "5:7", score: 0.1, metadata: { model: "m", release: 5, sae: "s2", layer: 4, index: 70 } },
      { id: "garbage", score: 0.99, metadata: {} },
    ]);
    const backend = new VectorizeBackend(binding);
    const hits = await backend.query({ model: "m", release: 5 }, Float32Array.of(0.6, 0.8), 500, { saes: ["s1", "s2"], layers: [4], minScore: 0.2 });
    expect(hits).toEqual([
      { release: 5, explanation: 2, sae: "s2", layer: 4, index: 20, score: 0.9 },
      { release: 5, explanation: 9, sae: "s1", layer: 3, index: 90, score: 0.5 },
    ]);
    const [vector, options] = calls.query[0] as [number[], { topK: number; filter: unknown; returnMetadata: string }];
    expect(vector[0]).toBeCloseTo(0.6, 6);
    expect(options.topK).toBe(100);
    expect(options.returnMetadata).toBe("indexed");
    expect(options.filter).toEqual({ release: { $eq: 5 }, sae: { $in: ["s1", "s2"] }, layer: { $eq: 4 } });
  });

  it("builds filters with $eq for one value and nothing for no filter", () => {
    expect(vectorizeFilter({ model: "m", release: 1 }, {})).toEqual({ release: { $eq: 1 } });
    expect(vectorizeFilter({ model: "m", release: 1 }, { saes: ["x"] })).toEqual({ release: { $eq: 1 }, sae: { $eq: "x" } });
  });

  it("reads a stored vector by id", async () => {
    const { binding, calls } = fakeVectorize([]);
    const backend = new VectorizeBackend(binding);
    expect(Array.from((await backend.vectorOf({ model: "m", release: 5 }, 2))!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(await backend.vectorOf({ model: "m", release: 5 }, 3)).toBeNull();
    expect(calls.getByIds).toEqual([["5:2"], ["5:3"]]);
  });

  it("upserts a release's vectors with their metadata in batches", async () => {
    const dim = 4;
    const n = 1200;
    await env.BLOBS.put("releases/77/vectors/0000000000.f32", new Float32Array(n * dim).fill(0.5));
    const { binding, calls } = fakeVectorize([]);
    const rows = { saes: [{ id: "a", layer: 1 }, { id: "b", layer: 2 }], saeOrdinals: Uint16Array.from({ length: n }, (_, i) => i % 2), latentIndices: Uint32Array.from({ length: n }, (_, i) => i + 1000) };
    await upsertReleaseToVectorize(binding, env.BLOBS, { release: 77, model: "m", embeddingModel: "e", dim, rows });
    const all = calls.upsert.flat() as { id: string; values: number[]; metadata: Record<string, unknown> }[];
    expect(calls.upsert.length).toBe(3);
    expect(all).toHaveLength(n);
    expect(all[1]).toEqual({ id: "77:1", values: [0.5, 0.5, 0.5, 0.5], metadata: { model: "m", release: 77, sae: "b", layer: 2, index: 1001 } });
  });
});

describe("Workers AI embedder (fake binding)", () => {
  it("sends the texts and normalises the returned vectors", async () => {
    const seen: unknown[] = [];
    const ai: AiBinding = {
      async run(model, inputs) {
        seen.push([model, inputs]);
        return { shape: [2, 384], data: inputs.text.map((_, i) => Array.from({ length: 384 }, (_, d) => (d === i ? 3 : 0))) };
      },
    };
    const embedder = new WorkersAiEmbedder(ai);
    const [a, b] = await embedder.embed(["first", "second"]);
    expect(seen).toEqual([["@cf/baai/bge-small-en-v1.5", { text: ["first", "second"] }]]);
    expect(embedder.model).toBe("BAAI/bge-small-en-v1.5");
    expect(a![0]).toBe(1);
    expect(b![1]).toBe(1);
    expect(await embedder.embed([])).toEqual([]);
  });

  it("refuses answers of the wrong shape", async () => {
    const wrong = (data: unknown): AiBinding => ({ run: async () => ({ data }) });
    await expect(new WorkersAiEmbedder(wrong(undefined)).embed(["x"])).rejects.toThrow(/no vectors/);
    await expect(new WorkersAiEmbedder(wrong([[1, 2]])).embed(["x"])).rejects.toThrow(/384 finite/);
    await expect(new WorkersAiEmbedder(wrong([Array(384).fill(NaN)])).embed(["x"])).rejects.toThrow(/finite/);
  });
});

describe("FTS5 query building", () => {
  it("quotes words and drops everything else", () => {
    expect(ftsMatchExpression("Legal citations, court-cases!")).toBe('"legal" OR "citations" OR "court" OR "cases"');
    expect(ftsMatchExpression(`NEAR(a b) col:x "q" * AND`)).toBe('"near" OR "b" OR "col" OR "x" OR "q"');
    // Stopwords are dropped, unless nothing else is left.
    expect(ftsMatchExpression("the words of it")).toBe('"the" OR "words" OR "of" OR "it"');
    expect(ftsMatchExpression("phrases related to court rulings")).toBe('"court" OR "rulings"');
    expect(ftsMatchExpression(`'; DROP TABLE x; --`)).toBe('"drop" OR "table" OR "x"');
    expect(ftsMatchExpression(`* " ( ) ^ -`)).toBeNull();
    expect(ftsMatchExpression("")).toBeNull();
  });

  it("keeps letters of any script, de-duplicates and caps the terms", () => {
    expect(queryTerms("Café café 東京 naïve")).toEqual(["café", "東京", "naïve"]);
    expect(queryTerms(Array.from({ length: 100 }, (_, i) => `w${i}`).join(" "))).toHaveLength(MAX_QUERY_TERMS);
  });
});
