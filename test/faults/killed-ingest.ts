// Kills `npm run ingest` (the CLI, with SIGKILL to its whole process group) at
// random moments N times while it uploads a new release, checking after each
// kill that readers still see the previous release; then runs it to the end
// and counts the stored rows of the new release per table against the
// manifest: exactly one copy of every row. A last run must be a no-op.
//
//   tsx test/faults/killed-ingest.ts --url URL --state DIR --bundle DIR --kills 8 [--seed 7] [--min-delay-ms 1500] [--max-delay-ms 6000] [--rows-per-part 25]
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { log, servingSnapshot } from "./http";
import { activeRelease, r2Objects, releases, storedRows } from "./local-state";

interface Manifest {
  bundleId: string;
  model: { id: string };
  embedding: { dim: number };
  files: Record<string, { rows: number; bytes: number }>;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

interface RunResult {
  code: number | null;
  signal: string | null;
  ms: number;
  output: string;
}

function runIngest(url: string, bundle: string, rowsPerPart: number, killAfterMs: number | null): Promise<RunResult> {
  const started = Date.now();
  // detached: the CLI gets its own process group, so the kill also takes
  // tsx's child node process, as a crash of the machine running it would.
  const child = spawn("tsx", ["cli/ingest.ts", bundle, "--url", url, "--rows-per-part", String(rowsPerPart)], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const timer = killAfterMs === null ? null : setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone: the ingest finished before the kill.
    }
  }, killAfterMs);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started, output });
    }),
  );
}

const lastProgress = (output: string) => output.trim().split("\n").filter((l) => l.startsWith("part ")).pop() ?? "(before the first part)";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" }, state: { type: "string" }, bundle: { type: "string" },
      kills: { type: "string", default: "8" }, seed: { type: "string", default: "7" },
      "min-delay-ms": { type: "string", default: "1500" }, "max-delay-ms": { type: "string", default: "6000" },
      "rows-per-part": { type: "string", default: "25" },
      "probe-sae": { type: "string", default: "0-res-consistency" },
    },
  });
  if (!values.url || !values.state || !values.bundle) throw new Error("needs --url, --state and --bundle");
  const manifest = JSON.parse(await readFile(path.join(values.bundle, "manifest.json"), "utf8")) as Manifest;
  const model = manifest.model.id;
  const random = rng(Number(values.seed));
  const before = await servingSnapshot(values.url, model, values["probe-sae"], 3);
  const kills = Number(values.kills);
  const lo = Number(values["min-delay-ms"]);
  const hi = Number(values["max-delay-ms"]);
  const rowsPerPart = Number(values["rows-per-part"]);
  const problems: string[] = [];
  const injected: { afterMs: number; killed: boolean; progress: string }[] = [];

  for (let i = 0; i < kills; i++) {
    const delay = Math.round(lo + random() * (hi - lo));
    const run = await runIngest(values.url, values.bundle, rowsPerPart, delay);
    const killed = run.signal === "SIGKILL";
    injected.push({ afterMs: delay, killed, progress: lastProgress(run.output) });
    log(`kill ${i + 1}/${kills}: after ${delay} ms, ${killed ? "killed at " + lastProgress(run.output) : `finished first (exit ${run.code})`}`);
    if (!killed) {
      if (run.code !== 0) problems.push(`ingest run ${i + 1} failed on its own: ${run.output.slice(-400)}`);
      break;
    }
    const during = await servingSnapshot(values.url, model, values["probe-sae"], 3);
    const serving = activeRelease(values.state, model);
    const stillOld = during === before;
    if (!stillOld) {
      // The kill may have landed after the switch: then the new release must be complete.
      const rel = releases(values.state).find((r) => r.id === serving);
      if (rel?.bundle_id !== manifest.bundleId) problems.push(`after kill ${i + 1} readers see neither the old answer nor the new release`);
    }
  }

  const final = await runIngest(values.url, values.bundle, rowsPerPart, null);
  log(`final run: exit ${final.code} in ${final.ms} ms: ${final.output.trim().split("\n").pop()}`);
  if (final.code !== 0) problems.push(`final ingest failed: ${final.output.slice(-500)}`);

  const all = releases(values.state);
  const mine = all.filter((r) => r.bundle_id === manifest.bundleId);
  if (mine.length !== 1) problems.push(`${mine.length} release rows for ${manifest.bundleId}; expected exactly 1`);
  const release = mine[0]?.id ?? -1;
  if (activeRelease(values.state, model) !== release) problems.push(`release ${release} is not the live release of ${model}`);

  const stored = storedRows(values.state, release);
  const checks: { table: string; expected: number; stored: number }[] = [];
  for (const [file, { rows }] of Object.entries(manifest.files)) {
    if (file === "explanation_vectors.f32") {
      const bytes = r2Objects(values.state, `releases/${release}/vectors/`).reduce((a, o) => a + o.size, 0);
      checks.push({ table: "vectors (R2 bytes / 4 dim)", expected: rows, stored: bytes / (4 * manifest.embedding.dim) });
      continue;
    }
    checks.push({ table: file, expected: rows, stored: stored[file] ?? -1 });
  }
  if (manifest.files["explanations.jsonl"]) {
    checks.push({ table: "explanations_fts", expected: manifest.files["explanations.jsonl"].rows, stored: stored["explanations_fts (rows)"]! });
  }
  for (const c of checks) if (c.expected !== c.stored) problems.push(`${c.table}: ${c.stored} stored, manifest says ${c.expected}`);

  const again = await runIngest(values.url, values.bundle, rowsPerPart, null);
  const afterAgain = storedRows(values.state, release);
  if (again.code !== 0 || JSON.stringify(afterAgain) !== JSON.stringify(stored)) problems.push("a repeated ingest of the live bundle changed stored rows or failed");

  const report = {
    bundleId: manifest.bundleId,
    release,
    faultsInjected: injected.filter((k) => k.killed).length,
    kills: injected,
    finalRunMs: final.ms,
    rowsChecked: checks.reduce((a, c) => a + c.stored, 0),
    tables: checks,
    problems,
  };
  console.log(JSON.stringify(report, null, 2));
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(`killed-ingest: ${err.message}`);
    process.exit(1);
  },
);
