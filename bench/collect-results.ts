// Closes a bench run: merges the gpu-batch figures of this run
// (the newest gpu-batch/results/bench-*.json) into the run's results file
// (BENCH_RESULTS, else the newest results/bench-*.json), records the machine,
// and rewrites the "Latest numbers" block of docs/numbers.md (and of README.md
// when it carries the same markers) from that file.
//
//   tsx bench/collect-results.ts [--results FILE] [--gpu-results FILE]
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { machine } from "./lib/machine";
import { readResults } from "./lib/results-file";
import { renderNumbers, replaceBlock } from "./lib/numbers-block";

const ROOT = path.resolve(import.meta.dirname, "..");

async function newest(dir: string, pattern: RegExp): Promise<string | null> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => pattern.test(n));
  let best: { file: string; mtime: number } | null = null;
  for (const n of names) {
    const file = path.join(dir, n);
    const { mtimeMs } = await stat(file);
    if (!best || mtimeMs > best.mtime) best = { file, mtime: mtimeMs };
  }
  return best?.file ?? null;
}

async function main() {
  const { values } = parseArgs({ options: { results: { type: "string" }, "gpu-results": { type: "string" } } });
  const resultsFile = values.results ?? process.env.BENCH_RESULTS ?? (await newest(path.join(ROOT, "results"), /^bench-.*\.json$/));
  if (!resultsFile) throw new Error("no results file: run npm run bench, or pass --results");
  const results = await readResults(resultsFile);
  const gpuFile = values["gpu-results"] ?? (await newest(path.join(ROOT, "gpu-batch", "results"), /^bench-.*\.json$/));
  if (gpuFile) {
    const gpu = JSON.parse(await readFile(gpuFile, "utf8")) as Record<string, unknown>;
    results["gpu-batch"] = { file: path.relative(ROOT, gpuFile), ...gpu };
  }
  results.machine = machine();
  results.collectedAt = new Date().toISOString();
  await writeFile(resultsFile, JSON.stringify(results, null, 2) + "\n");

  const block = renderNumbers(results, path.relative(ROOT, resultsFile));
  const targets = [path.join(ROOT, "docs", "numbers.md"), path.join(ROOT, "README.md")];
  for (const target of targets) {
    const text = await readFile(target, "utf8").catch(() => null);
    if (text === null) continue;
    const updated = replaceBlock(text, block);
    if (updated !== null) {
      await writeFile(target, updated);
      console.log(`collect: rewrote the latest numbers in ${path.relative(ROOT, target)}`);
    }
  }
  console.log(`collect: ${Object.keys(results).filter((k) => k !== "machine" && k !== "collectedAt").join(", ")} in ${path.relative(ROOT, resultsFile)}`);
}

main().catch((err: Error) => {
  console.error(`collect: ${err.message}`);
  process.exit(1);
});
