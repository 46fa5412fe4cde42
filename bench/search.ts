// Latency of explanation search through a real local Worker (`wrangler dev`):
// warm p50/p95 per mode with the development queries (each a new text, so
// every request embeds), the first search after ingest (model and index
// loads), the resident memory of the server's workerd processes, the median
// of each phase the Worker reports in Server-Timing, and a same-run baseline:
// GET /health (one `SELECT 1`), the floor of any request through this server.
// Quality figures come from bench/search-quality.ts.
// Env: BENCH_URL, FEATURE_ATLAS_ADMIN_KEY, BENCH_SERVER_PID, BENCH_BUNDLE (default
// the 16k demo), BENCH_LABEL (results key suffix), BENCH_RESULTS.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readBundleDir } from "../cli/read-bundle-dir";
import { verifyBundle } from "../src/bundle";
import { timedIngest } from "./lib/ingest";
import { machine } from "./lib/machine";
import { mergeResults, resultsPath } from "./lib/results-file";
import type { DevQuery } from "./search-lib/quality";
import { parseServerTiming } from "../src/search/timings";
import { summarise, timed, workerdRss } from "./search-lib/timing";

const ROOT = path.resolve(import.meta.dirname, "..");
const URL_BASE = process.env.BENCH_URL ?? "http://127.0.0.1:8791";
const BUNDLE = process.env.BENCH_BUNDLE ?? path.join(ROOT, "demo/bundles/gemma-2-2b-gemmascope-res-16k");
const LABEL = process.env.BENCH_LABEL ?? "16k";
const DEV_QUERIES = path.resolve(ROOT, "../shared/data/gemma-2-2b-20-gemmascope-res-16k.cross-explainer-queries.dev.jsonl");
const LATENCY_REQUESTS = Number(process.env.BENCH_SEARCH_REQUESTS ?? 200);
const WARMUP = 20;

type Page = { results: { index: number }[] };

const mb = (bytes: number | null) => (bytes === null ? null : Math.round((bytes / 2 ** 20) * 10) / 10);

async function readKey(adminKey: string): Promise<Record<string, string>> {
  const res = await fetch(`${URL_BASE}/admin/keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "search-bench", scope: "read" }),
  });
  if (!res.ok) throw new Error(`creating a read key: ${res.status}`);
  return { Authorization: `Bearer ${((await res.json()) as { key: string }).key}` };
}

async function searchPage(
  headers: Record<string, string>,
  q: string,
  mode: string,
  limit: number,
): Promise<{ ms: number; page: Page; phases: Record<string, number> }> {
  const r = await timed(`${URL_BASE}/v1/search?${new URLSearchParams({ q, mode, limit: String(limit) })}`, { headers });
  if (r.status !== 200) throw new Error(`search ${mode} "${q.slice(0, 40)}": ${r.status} ${JSON.stringify(r.body)}`);
  return { ms: r.ms, page: r.body as Page, phases: parseServerTiming(r.headers.get("server-timing")) };
}

/** Median of each Server-Timing phase over a run (a phase absent from a request counts as 0). */
function phaseMedians(runs: Record<string, number>[]): Record<string, number> {
  const names = new Set(runs.flatMap((r) => Object.keys(r)));
  return Object.fromEntries([...names].map((n) => [n, summarise(runs.map((r) => r[n] ?? 0)).p50]));
}

async function main() {
  const adminKey = process.env.FEATURE_ATLAS_ADMIN_KEY;
  if (!adminKey) throw new Error("FEATURE_ATLAS_ADMIN_KEY is not set");
  const serverPid = Number(process.env.BENCH_SERVER_PID ?? 0);
  const bundle = await readBundleDir(BUNDLE);
  const manifest = await verifyBundle(bundle);
  console.error(`ingesting ${manifest.bundleId} into ${URL_BASE}`);
  const { seconds: ingestS } = await timedIngest(URL_BASE, adminKey, bundle, manifest);
  const headers = await readKey(adminKey);
  const rssBefore = serverPid ? await workerdRss(serverPid) : null;

  const queries = (await readFile(DEV_QUERIES, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as DevQuery);
  const cold = await searchPage(headers, queries[0]!.query, "hybrid", 20);
  console.error(`first search (loads the model and the index): ${cold.ms.toFixed(1)} ms`);

  const baselineTimes: number[] = [];
  for (let i = 0; i < LATENCY_REQUESTS + WARMUP; i++) {
    const r = await timed(`${URL_BASE}/health`, { headers });
    if (r.status !== 200) throw new Error(`/health: ${r.status}`);
    if (i >= WARMUP) baselineTimes.push(r.ms);
  }
  const baseline = summarise(baselineTimes);
  console.error(`baseline GET /health: p50 ${baseline.p50} ms, p95 ${baseline.p95} ms`);

  const latency: Record<string, ReturnType<typeof summarise>> = {};
  const phases: Record<string, Record<string, number>> = {};
  const ratioToBaseline: Record<string, number> = {};
  for (const mode of ["hybrid", "semantic", "lexical"]) {
    const times: number[] = [];
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < LATENCY_REQUESTS + WARMUP; i++) {
      const r = await searchPage(headers, queries[i % queries.length]!.query, mode, 20);
      if (i >= WARMUP) {
        times.push(r.ms);
        runs.push(r.phases);
      }
    }
    latency[mode] = summarise(times);
    phases[mode] = phaseMedians(runs);
    ratioToBaseline[mode] = Math.round((latency[mode]!.p50 / baseline.p50) * 100) / 100;
    console.error(
      `${mode}: p50 ${latency[mode]!.p50} ms, p95 ${latency[mode]!.p95} ms (${ratioToBaseline[mode]}x /health); phases p50 ${JSON.stringify(phases[mode])}`,
    );
  }
  const rssAfter = serverPid ? await workerdRss(serverPid) : null;
  // What the isolate that served the run accounts for (indexes, query model heap): the figure to hold against 128 MB.
  const isolateRes = await fetch(`${URL_BASE}/admin/isolate`, { headers: { Authorization: `Bearer ${adminKey}` } });
  const isolate = isolateRes.ok ? ((await isolateRes.json()) as { accountedBytes: number }) : null;
  if (isolate) console.error(`isolate memory accounted for: ${mb(isolate.accountedBytes)} MiB`);

  const figures = {
    takenAt: new Date().toISOString(),
    machine: machine(),
    bundle: manifest.bundleId,
    explanations: manifest.files["explanations.jsonl"]?.rows ?? 0,
    ingestSeconds: Math.round(ingestS * 10) / 10,
    firstSearchMs: Math.round(cold.ms * 10) / 10,
    warmLatencyMs: latency,
    baselineHealthMs: baseline,
    p50RatioToBaseline: ratioToBaseline,
    serverTimingP50Ms: phases,
    workerdRssMiB: { afterIngest: mb(rssBefore), afterSearches: mb(rssAfter) },
    isolateMemory: isolate,
  };
  await mergeResults(resultsPath(ROOT), `search-${LABEL}`, figures);
  console.log(JSON.stringify(figures, null, 2));
}

main().catch((err: Error) => {
  console.error(`search bench failed: ${err.message}`);
  process.exit(1);
});
