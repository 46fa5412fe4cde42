import { describe, expect, it } from "vitest";
import { WorkersAiEmbedder, type AiBinding } from "../../src/search/embed/workers-ai-embedder";
import { ftsMatchExpression, MAX_QUERY_TERMS, queryTerms } from "../../src/search/lexical/fts-query";
import { buildFrequentWords, FREQUENT_MIN_ROWS, frequentWords, frequentWordsKey, frequentWordsOf } from "../../src/search/lexical/frequent-words";
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
      // As Vectorize does: more than 20 ids in one call is an error.
      if (ids.length > 20) throw new Error("VECTOR_GET_ERROR (40007): too many ids in payload; max id count is 20");
      return ids.filter((id) => id === "5:2" || id.startsWith("6:")).map((id) => ({ id, values: [0.6, 0.8] }));
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
    const [found] = await backend.vectorsOf({ model: "m", release: 5 }, [2]);
    expect(Array.from(found!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(await backend.vectorsOf({ model: "m", release: 5 }, [3])).toEqual([null]);
    expect(calls.getByIds).toEqual([["5:2"], ["5:3"]]);
  });

  it("reads many vectors in calls of at most 20 ids, in order, null where absent", async () => {
    const { binding, calls } = fakeVectorize([]);
    const backend = new VectorizeBackend(binding);
    const ids = Array.from({ length: 45 }, (_, i) => i);
    const got = await backend.vectorsOf({ model: "m", release: 6 }, ids);
    expect(got).toHaveLength(45);
    expect(got.every((v) => v !== null && v.length === 2)).toBe(true);
    expect(calls.getByIds.map((c) => c.length)).toEqual([20, 20, 5]);
    expect(calls.getByIds.flat()).toEqual(ids.map((i) => `6:${i}`));
    const mixed = await backend.vectorsOf({ model: "m", release: 5 }, [3, 2, 9]);
    expect(mixed.map((v) => (v ? Array.from(v) : null))).toEqual([null, [Math.fround(0.6), Math.fround(0.8)], null]);
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

describe("frequent words of a release", () => {
  const texts = (n: number) => Array.from({ length: n }, (_, i) => `code snippets about topic${i % 400} and item${i}`);

  it("finds the words in more than 5% of the texts, none for a small release", () => {
    const { rows, words } = frequentWordsOf(texts(2000));
    expect(rows).toBe(2000);
    // "code", "snippets", "about", "and" are in every text; each topicN in 5 of 2000, each itemN in one.
    expect(words).toEqual(["about", "and", "code", "snippets"]);
    expect(frequentWordsOf(texts(FREQUENT_MIN_ROWS - 1)).words).toEqual([]);
  });

  it("leaves frequent words out of the query unless nothing else is left", () => {
    const frequent = new Set(["code", "snippets"]);
    expect(ftsMatchExpression("code snippets for court rulings", frequent)).toBe('"court" OR "rulings"');
    expect(ftsMatchExpression("code snippets", frequent)).toBe('"code" OR "snippets"');
    expect(ftsMatchExpression("the code", frequent)).toBe('"code"');
  });

  it("are built from the release's texts in D1, kept in R2, and read back", async () => {
    const release = 977;
    const all = texts(1500);
    const insert = env.DB.prepare("INSERT INTO explanations (release, id, sae, idx, text, explainer, method) VALUES (?, ?, 's', ?, ?, 'x', 'm')");
    for (let i = 0; i < all.length; i += 100) {
      await env.DB.batch(all.slice(i, i + 100).map((t, j) => insert.bind(release, i + j, i + j, t)));
    }
    expect(await buildFrequentWords(env.DB, env.BLOBS, release)).toEqual(["about", "and", "code", "snippets"]);
    expect(await env.BLOBS.head(frequentWordsKey(release))).not.toBeNull();
    expect([...(await frequentWords(env.BLOBS, release))].sort()).toEqual(["about", "and", "code", "snippets"]);
    // A release without the file (ingested before it was kept) prunes nothing.
    expect((await frequentWords(env.BLOBS, 978)).size).toBe(0);
  });
});
