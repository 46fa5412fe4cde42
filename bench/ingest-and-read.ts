// Bench of the edge core through a real local Worker (`wrangler dev`):
//   - ingest throughput of the 16k Gemma Scope demo bundle (latents/s into local D1)
//   - warm latent-detail latency p50/p95, against a baseline of GET /health
//     (one `SELECT 1` round trip through the same Worker), measured in the same run
//   - local D1 bytes per row after the ingest (for the sizing notes in docs/api.md)
// Env: BENCH_URL, FEATURE_ATLAS_ADMIN_KEY, BENCH_STATE_DIR (the server's --persist-to),
// BENCH_RESULTS (results file to merge into; default results/bench-<timestamp>.json).
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { verifyBundle } from "../src/bundle";
import { readBundleDir } from "../cli/read-bundle-dir";
import { timedIngest } from "./lib/ingest";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUNDLE = process.env.BENCH_BUNDLE ?? path.join(ROOT, "demo/bundles/gemma-2-2b-gemmascope-res-16k");
const URL_BASE = process.env.BENCH_URL ?? "http://127.0.0.1:8790";
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = 100;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

async function timeRequests(paths: string[], headers: Record<string, string>): Promise<{ p50: number; p95: number; mean: number; n: number }> {
  const times: number[] = [];
  for (let i = 0; i < paths.length; i++) {
    const t0 = performance.now();
    const res = await fetch(`${URL_BASE}${paths[i]}`, { headers });
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET ${paths[i]}: ${res.status}`);
    if (i >= WARMUP) times.push(ms);
    if (i % 200 === 0) process.stderr.write(`\r  ${i}/${paths.length} requests`);
  }
  process.stderr.write("\r\x1b[2K");
  times.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), mean: round(times.reduce((a, b) => a + b, 0) / times.length), n: times.length };
}

async function sqliteBytes(stateDir: string | undefined): Promise<number | null> {
  if (!stateDir) return null;
  const dir = path.join(stateDir, "v3/d1/miniflare-D1DatabaseObject");
  const names = await readdir(dir).catch(() => []);
  let total = 0;
  for (const n of names) if (n.endsWith(".sqlite") || n.endsWith(".sqlite-wal")) total += (await stat(path.join(dir, n))).size;
  return total;
}

async function main() {
  const adminKey = process.env.FEATURE_ATLAS_ADMIN_KEY;
  if (!adminKey) throw new Error("FEATURE_ATLAS_ADMIN_KEY is not set");
  const bundle = await readBundleDir(BUNDLE);
  const t0 = performance.now();
  const manifest = await verifyBundle(bundle);
  const validateS = (performance.now() - t0) / 1000;
  const latentRows = manifest.files["latents.jsonl"]?.rows ?? 0;
  const explanationRows = manifest.files["explanations.jsonl"]?.rows ?? 0;
  const bytesBefore = await sqliteBytes(process.env.BENCH_STATE_DIR);

  console.error(`ingesting ${manifest.bundleId} (${explanationRows} explanations) into ${URL_BASE}`);
  const { result, seconds: ingestS } = await timedIngest(URL_BASE, adminKey, bundle, manifest);
  if (!result.committed) throw new Error("the bundle was already active; the bench needs a fresh state dir");
  const bytesAfter = await sqliteBytes(process.env.BENCH_STATE_DIR);

  const sae = JSON.parse(new TextDecoder().decode(bundle.files.get("saes.jsonl")!).split("\n")[0]!) as { id: string; width: number };
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const detailPaths = Array.from({ length: REQUESTS + WARMUP }, () => `/v1/latents/${manifest.model.id}/${sae.id}/${Math.floor(random() * sae.width)}`);
  const healthPaths = Array.from({ length: REQUESTS + WARMUP }, () => "/health");
  // A read key: its limit (RATE_LIMIT_KEYED) is well above the bench's request count.
  const keyRes = await fetch(`${URL_BASE}/admin/keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "bench", scope: "read" }),
  });
  if (!keyRes.ok) throw new Error(`creating a read key: ${keyRes.status}`);
  const readKey = { Authorization: `Bearer ${((await keyRes.json()) as { key: string }).key}` };
  console.error("timing GET /health (baseline: SELECT 1 through the Worker)");
  const baseline = await timeRequests(healthPaths, readKey);
  console.error("timing GET /v1/latents/{model}/{sae}/{index}");
  const detail = await timeRequests(detailPaths, readKey);

  const figures = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    bundle: manifest.bundleId,
    ingest: {
      latents: Math.max(latentRows, explanationRows),
      explanations: explanationRows,
      validateSeconds: Math.round(validateS * 100) / 100,
      uploadAndCommitSeconds: Math.round(ingestS * 100) / 100,
      latentsPerSecond: Math.round(Math.max(latentRows, explanationRows) / ingestS),
      parts: result.partsSent,
      d1BytesAdded: bytesBefore !== null && bytesAfter !== null ? bytesAfter - bytesBefore : null,
      d1BytesPerExplanationWithLatentRow: bytesBefore !== null && bytesAfter !== null ? Math.round((bytesAfter - bytesBefore) / explanationRows) : null,
    },
    latency: { requests: REQUESTS, warmup: WARMUP, sequential: true, baselineHealthMs: baseline, latentDetailMs: detail },
  };

  const resultsPath = process.env.BENCH_RESULTS ?? path.join(ROOT, "results", `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  await mkdir(path.dirname(resultsPath), { recursive: true });
  const existing = JSON.parse(await readFile(resultsPath, "utf8").catch(() => "{}")) as Record<string, unknown>;
  existing["edge-core"] = { takenAt: new Date().toISOString(), ...figures };
  await writeFile(resultsPath, JSON.stringify(existing, null, 2) + "\n");

  console.log(`ingest: ${figures.ingest.latents} latents in ${figures.ingest.uploadAndCommitSeconds} s = ${figures.ingest.latentsPerSecond} latents/s (local validation ${figures.ingest.validateSeconds} s)`);
  if (figures.ingest.d1BytesAdded !== null) console.log(`local D1 grew ${figures.ingest.d1BytesAdded} bytes = ${figures.ingest.d1BytesPerExplanationWithLatentRow} bytes per explained latent`);
  console.log(`baseline GET /health: p50 ${baseline.p50} ms, p95 ${baseline.p95} ms (n=${baseline.n})`);
  console.log(`latent detail:        p50 ${detail.p50} ms, p95 ${detail.p95} ms (n=${detail.n})`);
  console.log(`results: ${resultsPath}`);
}

main().catch((err: Error) => {
  console.error(`bench failed: ${err.message}`);
  process.exit(1);
});
