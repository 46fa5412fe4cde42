import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildLocalIndex } from "../../src/search/vectors/build-local-index";
import { halfTable, toHalf } from "../../src/search/vectors/half";
import { encodeHalf, encodeHeadPrefix, encodeRecords, type IndexHeader } from "../../src/search/vectors/index-format";
import { indexHeadKey } from "../../src/search/vectors/index-keys";
import { LocalIndex, loadLocalIndex } from "../../src/search/vectors/local-index";
import { IndexUnavailable } from "../../src/search/vectors/vector-index";

const DIM = 384;

/** Seeded unit vectors with a shared component, so neighbours are close as real embeddings are. */
function vectors(n: number, seed: number): Float32Array {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const mean = Float32Array.from({ length: DIM }, rand);
  const out = new Float32Array(n * DIM);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const v = 0.6 * mean[d]! + rand();
      out[r * DIM + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < DIM; d++) out[r * DIM + d]! /= Math.sqrt(norm);
  }
  return out;
}

function indexOf(data: Float32Array, saes: { id: string; layer: number }[], saeOf: (r: number) => number): LocalIndex {
  const rows = data.length / DIM;
  const header: IndexHeader = { format: "feature-atlas-search-index", version: 1, release: 1, model: "m", embeddingModel: "e", dim: DIM, rows, saes };
  const prefix = encodeHeadPrefix(header, Uint16Array.from({ length: rows }, (_, r) => saeOf(r)), Uint32Array.from({ length: rows }, (_, r) => r * 10));
  const records = encodeRecords(data, DIM);
  const head = new Uint8Array(prefix.length + records.length);
  head.set(prefix);
  head.set(records, prefix.length);
  return LocalIndex.fromHead(head, encodeHalf(data), async () => {
    throw new Error("not used");
  });
}

function exactTop(data: Float32Array, q: Float32Array, k: number, keep: (r: number) => boolean = () => true): number[] {
  const scores: { r: number; s: number }[] = [];
  for (let r = 0; r < data.length / DIM; r++) {
    if (!keep(r)) continue;
    let s = 0;
    for (let d = 0; d < DIM; d++) s += data[r * DIM + d]! * q[d]!;
    scores.push({ r, s });
  }
  return scores.sort((a, b) => b.s - a.s).slice(0, k).map((x) => x.r);
}

describe("in-isolate vector index", () => {
  const data = vectors(4000, 7);
  const queries = vectors(40, 99);
  const saes = [{ id: "a", layer: 1 }, { id: "b", layer: 2 }, { id: "c", layer: 2 }];
  const index = indexOf(data, saes, (r) => r % 3);

  it("reaches recall@10 >= 0.98 against exact search", async () => {
    let found = 0;
    for (let i = 0; i < 40; i++) {
      const q = queries.subarray(i * DIM, (i + 1) * DIM);
      const exact = new Set(exactTop(data, q, 10));
      const hits = await index.query(q, 10, {});
      found += hits.filter((h) => exact.has(h.explanation)).length;
    }
    expect(found / 400).toBeGreaterThanOrEqual(0.98);
  });

  it("returns exact fp16 cosines, best first, with the row's SAE, layer and latent", async () => {
    const q = queries.subarray(0, DIM);
    const hits = await index.query(q, 5, {});
    const table = halfTable();
    for (const h of hits) {
      let dot = 0;
      for (let d = 0; d < DIM; d++) dot += table[toHalf(data[h.explanation * DIM + d]!)]! * q[d]!;
      expect(h.score).toBeCloseTo(dot, 5);
      expect(h.sae).toBe(saes[h.explanation % 3]!.id);
      expect(h.layer).toBe(saes[h.explanation % 3]!.layer);
      expect(h.index).toBe(h.explanation * 10);
    }
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it("filters by SAE, by layer, and by minimum score", async () => {
    const q = queries.subarray(DIM, 2 * DIM);
    const bySae = await index.query(q, 10, { saes: ["b"] });
    expect(bySae).toHaveLength(10);
    expect(bySae.every((h) => h.sae === "b")).toBe(true);
    expect(new Set(bySae.map((h) => h.explanation))).toEqual(new Set(exactTop(data, q, 10, (r) => r % 3 === 1)));
    const byLayer = await index.query(q, 30, { layers: [2] });
    expect(byLayer.every((h) => h.layer === 2)).toBe(true);
    expect(new Set(byLayer.map((h) => h.sae))).toEqual(new Set(["b", "c"]));
    expect(await index.query(q, 10, { saes: ["zzz"] })).toEqual([]);
    const all = await index.query(q, 50, {});
    const floor = all[20]!.score;
    const above = await index.query(q, 50, { minScore: floor });
    expect(above.length).toBe(21);
    expect(above.every((h) => h.score >= floor)).toBe(true);
  });

  it("gives back a row's vector, null outside the index", async () => {
    const v = await index.vector(17);
    expect(v).not.toBeNull();
    for (let d = 0; d < DIM; d++) expect(v![d]).toBeCloseTo(data[17 * DIM + d]!, 3);
    expect(await index.vector(4000)).toBeNull();
    expect(await index.vector(-1)).toBeNull();
  });

  it("holds about dim + 10 bytes per row plus fp16 vectors", () => {
    expect(index.bytes).toBeLessThan(4000 * (DIM + 12 + 2 * DIM));
  });
});

describe("index in R2", () => {
  it("builds from stored vector parts, loads, and refuses a release over the row limit", async () => {
    const data = vectors(300, 3);
    // Two parts, as ingest stores them.
    await env.BLOBS.put("releases/41/vectors/0000000000.f32", data.slice(0, 200 * DIM));
    await env.BLOBS.put("releases/41/vectors/0000000200.f32", data.slice(200 * DIM));
    const rows = { saes: [{ id: "s", layer: 3 }], saeOrdinals: new Uint16Array(300), latentIndices: Uint32Array.from({ length: 300 }, (_, i) => i) };
    await buildLocalIndex(env.BLOBS, { release: 41, model: "m", embeddingModel: "e", dim: DIM, rows });
    const loaded = await loadLocalIndex(env.BLOBS, 41);
    expect(loaded!.rows).toBe(300);
    const q = data.subarray(123 * DIM, 124 * DIM);
    const [top] = await loaded!.query(q, 1, {});
    expect(top!.explanation).toBe(123);
    expect(top!.score).toBeCloseTo(1, 3);
    await expect(loadLocalIndex(env.BLOBS, 41, 100)).rejects.toBeInstanceOf(IndexUnavailable);
    expect(await loadLocalIndex(env.BLOBS, 42)).toBeNull();
    expect(await env.BLOBS.head(indexHeadKey(41))).not.toBeNull();
  });

  it("refuses to build when stored vectors and explanations disagree", async () => {
    await env.BLOBS.put("releases/43/vectors/0000000000.f32", vectors(5, 1));
    const rows = { saes: [{ id: "s", layer: 0 }], saeOrdinals: new Uint16Array(6), latentIndices: new Uint32Array(6) };
    await expect(buildLocalIndex(env.BLOBS, { release: 43, model: "m", embeddingModel: "e", dim: DIM, rows })).rejects.toThrow(/5 vectors/);
  });
});
