// Search quality on the development queries, computed in Node with the search
// module's own ranking code (rank.ts, the in-isolate index, the FTS5 query
// builder, the fusion) over the full 16k demo bundle: the edge's q8mix query
// embedder, the bundle's batch vectors, SQLite FTS5 as local D1 runs it.
// Also: the fusion sweep the hybrid weight was chosen from, the embedder's
// parity with the batch vectors, the index's recall@10 against exact search,
// and per-stage compute time per query on this machine.
//   tsx bench/search-quality.ts        (BENCH_RESULTS: results file to merge into)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readBundleDir } from "../cli/read-bundle-dir";
import type { ActiveModel } from "../src/core/active-release";
import type { Env } from "../src/env";
import type { Embedder } from "../src/search/embed/embedder";
import { HYBRID_CANDIDATES as DEFAULT_HYBRID_CANDIDATES, LEXICAL_WEIGHT, RRF_K } from "../src/search/fusion";
import { rankExplanations, type RankedHit, type SearchMode } from "../src/search/rank";
import { encodeHalf, encodeHead, INDEX_VERSION } from "../src/search/vectors/index-format";
import { frequentWordsOf } from "../src/search/lexical/frequent-words";
import { LocalIndex } from "../src/search/vectors/local-index";
import type { VectorIndex } from "../src/search/vectors/vector-index";
import { machine } from "./lib/machine";
import { mergeResults, resultsPath } from "./lib/results-file";
import { nodeEmbedder } from "./search-lib/node-embedder";
import { NodeD1 } from "./search-lib/node-d1";
import { quality, type DevQuery } from "./search-lib/quality";
import { summarise } from "./search-lib/timing";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUNDLE = path.join(ROOT, "demo/bundles/gemma-2-2b-gemmascope-res-16k");
const DEV_QUERIES = path.resolve(ROOT, "../shared/data/gemma-2-2b-20-gemmascope-res-16k.cross-explainer-queries.dev.jsonl");
const RELEASE = 1;
const DIM = 384;
/** The hybrid candidate depth of search-service.ts, overridable to measure others. */
const HYBRID_CANDIDATES = Number(process.env.BENCH_HYBRID_CANDIDATES ?? DEFAULT_HYBRID_CANDIDATES);

interface Row {
  id: number;
  sae: string;
  index: number;
  text: string;
  explainer: string;
  method: string;
}

function onePerLatent(hits: RankedHit[]): RankedHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(`${h.sae}|${h.index}`) && seen.add(`${h.sae}|${h.index}`));
}

async function main() {
  const bundle = await readBundleDir(BUNDLE);
  const manifest = JSON.parse(bundle.manifestText) as ActiveModel["manifest"];
  const lines = (name: string) => new TextDecoder().decode(bundle.files.get(name)!).trim().split("\n").map((l) => JSON.parse(l));
  const saes = lines("saes.jsonl") as { id: string; layer: number }[];
  const rows = lines("explanations.jsonl") as Row[];
  const vecBytes = bundle.files.get("explanation_vectors.f32")!;
  const vectors = new Float32Array(vecBytes.buffer.slice(vecBytes.byteOffset, vecBytes.byteOffset + vecBytes.byteLength));

  console.error("loading the demo bundle into SQLite (schema from migrations/)");
  const d1 = new NodeD1();
  await d1.migrate(ROOT);
  d1.db.exec("BEGIN");
  const insSae = d1.db.prepare("INSERT INTO saes (release, id, model_id, hookpoint, layer, site, kind, architecture, width, stats) VALUES (?, ?, ?, '', ?, '', '', '', 0, '{}')");
  for (const s of saes) insSae.run(RELEASE, s.id, manifest.model.id, s.layer);
  const insExp = d1.db.prepare("INSERT INTO explanations (release, id, sae, idx, text, explainer, method) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const insFts = d1.db.prepare("INSERT INTO explanations_fts (rowid, text) VALUES (?, ?)");
  for (const r of rows) {
    insExp.run(RELEASE, r.id, r.sae, r.index, r.text, r.explainer, r.method);
    insFts.run(RELEASE * 2 ** 32 + r.id, r.text);
  }
  d1.db.exec("COMMIT");

  const saeOrdinal = new Map(saes.map((s, i) => [s.id, i]));
  // The index as ingest builds it (sign bits, version 2), and the same rows as
  // a version 1 head (full int8 scan), the baseline of the index timing.
  // int8Only: how a release too large for its fp16 vectors is served.
  const buildIndex = (version: number, withHalf = true) => {
    const header = { format: "feature-atlas-search-index" as const, version, release: RELEASE, model: manifest.model.id, embeddingModel: manifest.embedding.model, dim: DIM, rows: rows.length, saes };
    const head = encodeHead(header, Uint16Array.from(rows, (r) => saeOrdinal.get(r.sae)!), Uint32Array.from(rows, (r) => r.index), vectors);
    return LocalIndex.fromHead(head, withHalf ? encodeHalf(vectors) : null);
  };
  const index = buildIndex(INDEX_VERSION);
  const fullScanIndex = buildIndex(1);
  const int8OnlyIndex = buildIndex(INDEX_VERSION, false);
  const backend: VectorIndex = {
    name: "local",
    query: (_r, v, k, f) => index.query(v, k, f),
    vectorsOf: (_r, ids) => Promise.all(ids.map((id) => index.vector(id))),
  };

  console.error("loading the query embedder (int8 ONNX, onnxruntime-web in Node)");
  const embedFn = await nodeEmbedder(ROOT);
  let embedMs: number[] = [];
  const embedder: Embedder = {
    model: manifest.embedding.model,
    dim: DIM,
    embed: async (texts) => {
      const out: Float32Array[] = [];
      for (const t of texts) {
        const t0 = performance.now();
        out.push(await embedFn(t));
        embedMs.push(performance.now() - t0);
      }
      return out;
    },
  };
  const model = { id: manifest.model.id, release: RELEASE, manifest } as ActiveModel;
  const env = { DB: d1 } as unknown as Env;
  // The release's frequent words, as ingest computes them, left out of lexical queries.
  const frequent = new Set(frequentWordsOf(rows.map((r) => r.text)).words);
  const deps = { env, index: backend, embedder: async () => embedder, frequentWords: async () => frequent };
  const queries = (await readFile(DEV_QUERIES, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as DevQuery);

  const byMode: Record<string, ReturnType<typeof quality>> = {};
  const timing: Record<string, ReturnType<typeof summarise>> = {};
  let hybridCandidates: RankedHit[][] = [];
  for (const mode of ["lexical", "semantic", "hybrid"] as SearchMode[]) {
    const ranked: number[][] = [];
    const times: number[] = [];
    embedMs = [];
    for (const [i, q] of queries.entries()) {
      const t0 = performance.now();
      const hits = await rankExplanations(deps, { text: q.query, mode, models: [model], filter: {}, depth: mode === "hybrid" ? HYBRID_CANDIDATES : 50 });
      times.push(performance.now() - t0);
      if (mode === "hybrid") hybridCandidates.push(onePerLatent(hits));
      ranked.push(onePerLatent(hits).map((h) => h.index));
      if (i % 50 === 0) process.stderr.write(`\r  ${mode} ${i}/${queries.length}   `);
    }
    byMode[mode] = quality(queries, ranked);
    timing[mode] = summarise(times);
    if (embedMs.length) timing[`${mode}: query embedding`] = summarise(embedMs);
    console.error(`\n${mode}: ${JSON.stringify(byMode[mode])}, compute ${JSON.stringify(timing[mode])}`);
  }

  const sweep: Record<string, ReturnType<typeof quality>> = {};
  const rerank = (score: (h: RankedHit) => number) => hybridCandidates.map((hits) => [...hits].sort((a, b) => score(b) - score(a)).map((h) => h.index));
  for (const w of [0, 0.005, 0.01, 0.02, 0.05, 0.1]) {
    sweep[`cosine + ${w} x bm25`] = quality(queries, rerank((h) => (h.semantic?.cosine ?? 0) + w * (h.lexical?.bm25 ?? 0)));
  }
  sweep[`rrf k=${RRF_K}`] = quality(queries, rerank((h) => (h.semantic?.rank ? 1 / (RRF_K + h.semantic.rank) : 0) + (h.lexical ? 1 / (RRF_K + h.lexical.rank) : 0)));
  console.error(`fusion sweep: ${JSON.stringify(sweep, null, 1)}`);
  hybridCandidates = [];

  console.error("parity (300 explanations) and index recall against exact search");
  const cosines: number[] = [];
  for (let i = 0; i < 300; i++) {
    const row = Math.floor((i * rows.length) / 300);
    const v = await embedFn(rows[row]!.text);
    let c = 0;
    for (let d = 0; d < DIM; d++) c += v[d]! * vectors[row * DIM + d]!;
    cosines.push(c);
  }
  cosines.sort((a, b) => a - b);
  let found = 0;
  let foundFullScan = 0;
  let foundInt8Only = 0;
  let int8OnlyWorstError = 0;
  const scanTimes: number[] = [];
  const fullScanTimes: number[] = [];
  for (const q of queries) {
    const v = await embedFn(q.query);
    const exact = Array.from({ length: rows.length }, (_, r) => {
      let s = 0;
      for (let d = 0; d < DIM; d++) s += vectors[r * DIM + d]! * v[d]!;
      return { r, s };
    }).sort((a, b) => b.s - a.s).slice(0, 10).map((x) => x.r);
    const t0 = performance.now();
    const hits = await index.query(v, 10, {});
    scanTimes.push(performance.now() - t0);
    const got = new Set(hits.map((h) => h.explanation));
    found += exact.filter((r) => got.has(r)).length;
    const t1 = performance.now();
    const fullHits = await fullScanIndex.query(v, 10, {});
    fullScanTimes.push(performance.now() - t1);
    const gotFull = new Set(fullHits.map((h) => h.explanation));
    foundFullScan += exact.filter((r) => gotFull.has(r)).length;
    const int8Hits = await int8OnlyIndex.query(v, 10, {});
    foundInt8Only += int8Hits.filter((h) => exact.includes(h.explanation)).length;
    for (const h of int8Hits) {
      let s = 0;
      for (let d = 0; d < DIM; d++) s += vectors[h.explanation * DIM + d]! * v[d]!;
      int8OnlyWorstError = Math.max(int8OnlyWorstError, Math.abs(s - h.score));
    }
  }
  const indexMs = summarise(scanTimes);
  const fullScanMs = summarise(fullScanTimes);
  const at = (p: number) => Math.round(cosines[Math.floor(p * (cosines.length - 1))]! * 10000) / 10000;
  const figures = {
    takenAt: new Date().toISOString(),
    machine: machine(),
    how: "Node, the search module's ranking code on the 16k demo bundle (SQLite FTS5 for D1, the in-isolate index built in memory)",
    queries: queries.length,
    quality: { ...byMode, baselineBm25: byMode.lexical, fusionSweepOnHybridCandidates: sweep, chosenLexicalWeight: LEXICAL_WEIGHT },
    computeMsPerQuery: timing,
    embedderParity: { texts: 300, min: at(0), p1: at(0.01), median: at(0.5), belowPoint99: cosines.filter((c) => c < 0.99).length },
    index: {
      recallAt10VsExact: Math.round((found / (10 * queries.length)) * 1000) / 1000,
      queryMs: indexMs,
      bytes: index.bytes,
      baselineFullInt8Scan: { recallAt10VsExact: Math.round((foundFullScan / (10 * queries.length)) * 1000) / 1000, queryMs: fullScanMs, bytes: fullScanIndex.bytes },
      speedupP50VsFullScan: Math.round((fullScanMs.p50 / indexMs.p50) * 100) / 100,
      int8Only: { recallAt10VsExact: Math.round((foundInt8Only / (10 * queries.length)) * 1000) / 1000, worstCosineError: Math.round(int8OnlyWorstError * 1e5) / 1e5 },
    },
  };
  await mergeResults(resultsPath(ROOT), "search-quality", figures);
  console.log(JSON.stringify(figures, null, 2));
}

main().catch((err: Error) => {
  console.error(`search quality bench failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
