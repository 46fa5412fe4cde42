// Load runs against a local Worker (started by scripts/bench.sh):
//
//   tsx bench/load.ts mixed --url http://127.0.0.1:8794 --model gemma-2-2b --duration 20 --connections 8 --out f.json
//   tsx bench/load.ts consistency --url ... --old <gen1 bundle dir> --new <gen2 bundle dir> --readers 4 --out f.json
//
// `mixed` drives the weighted read mix (bench/lib/workload.ts) with autocannon
// and reports requests, throughput, p50/p99 and errors. `consistency` ingests
// the new release while readers read, and reports whether any response mixed
// releases. Both print their figures, write them as JSON to --out and merge
// them into the run's results file (BENCH_RESULTS) under "edge-load"; the exit
// status is 1 when there were errors or inconsistencies.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { type WrittenBundle } from "./lib/generation-bundle";
import { machine } from "./lib/machine";
import { readResults, mergeResults, resultsPath } from "./lib/results-file";
import { runConsistency } from "./lib/consistency-run";
import { perKindLatency, runMixedLoad } from "./lib/mixed-load";
import { buildMix, discoverTarget, documentedPaths } from "./lib/workload";

const USAGE = `usage: tsx bench/load.ts mixed --url URL --model ID [--duration 20] [--connections 8] [--out FILE]
       tsx bench/load.ts consistency --url URL --old DIR --new DIR [--readers 4] [--rows-per-part 200] [--out FILE]`;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function bundleInfo(dir: string): Promise<WrittenBundle> {
  const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as {
    bundleId: string; model: { id: string }; files: Record<string, { rows: number }>;
  };
  const saes = (await readFile(path.join(dir, "saes.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { id: string; width: number });
  return {
    dir, bundleId: manifest.bundleId, modelId: manifest.model.id, saeIds: saes.map((s) => s.id), latentsPerSae: saes[0]!.width,
    rows: Object.fromEntries(Object.entries(manifest.files).map(([k, v]) => [k, v.rows])),
  };
}

async function writeOut(file: string | undefined, part: "mixed" | "consistency", data: Record<string, unknown>) {
  const taken = { takenAt: new Date().toISOString(), machine: machine(), ...data };
  const text = JSON.stringify(taken, null, 2);
  console.log(text);
  if (file) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text + "\n");
  }
  const results = resultsPath(path.resolve(import.meta.dirname, ".."));
  const previous = ((await readResults(results))["edge-load"] ?? {}) as Record<string, unknown>;
  await mergeResults(results, "edge-load", { ...previous, [part]: taken });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      model: { type: "string" },
      duration: { type: "string", default: "20" },
      connections: { type: "string", default: "8" },
      old: { type: "string" },
      new: { type: "string" },
      readers: { type: "string", default: "4" },
      "rows-per-part": { type: "string", default: "200" },
      out: { type: "string" },
    },
  });
  const mode = positionals[0];
  const url = values.url?.replace(/\/+$/, "");
  if (!url || (mode !== "mixed" && mode !== "consistency")) {
    log(USAGE);
    return 2;
  }
  const routes = await documentedPaths(url);
  if (mode === "mixed") {
    if (!values.model) throw new Error("mixed needs --model");
    const target = await discoverTarget(url, values.model);
    const { requests, skipped } = buildMix(target, routes);
    if (skipped.length) log(`load: routes not served yet, left out of the mix: ${skipped.join(", ")}`);
    const durationS = Number(values.duration);
    const connections = Number(values.connections);
    log(`load: ${connections} connections for ${durationS} s against ${url} (${target.model}, ${target.saes.length} SAEs)`);
    const figures = await runMixedLoad(url, requests, { durationS, connections, onTick: (n) => log(`load: ${n} responses`) });
    log("load: per-kind latency, sequential");
    const sequentialMs = await perKindLatency(url, requests);
    await writeOut(values.out, "mixed", { url, model: target.model, skipped, ...figures, sequentialMs });
    return figures.errors + figures.non2xx + figures.timeouts === 0 ? 0 : 1;
  }
  if (!values.old || !values.new) throw new Error("consistency needs --old and --new bundle directories");
  const adminKey = process.env.FEATURE_ATLAS_ADMIN_KEY;
  if (!adminKey) throw new Error("consistency needs FEATURE_ATLAS_ADMIN_KEY (the Worker's admin key)");
  const figures = await runConsistency({
    baseUrl: url,
    oldBundle: await bundleInfo(values.old),
    newBundle: await bundleInfo(values.new),
    readers: Number(values.readers),
    adminKey,
    rowsPerPart: Number(values["rows-per-part"]),
    search: routes.has("GET /v1/search"),
    log,
  });
  await writeOut(values.out, "consistency", { url, ...figures });
  const ok = figures.mixed + figures.errors + figures.regressions + figures.releaseMismatches === 0 && figures.problems.length === 0;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(`load: ${err.message}`);
    process.exit(1);
  },
);
