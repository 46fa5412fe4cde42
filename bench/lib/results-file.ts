// The results file of one bench run (BENCH_RESULTS, set by scripts/bench.sh):
// one JSON object with one key per bench, so every bench adds its figures
// without touching the others'.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export function resultsPath(root: string): string {
  return process.env.BENCH_RESULTS ?? path.join(root, "results", `bench-${new Date().toISOString().replace(/[-:]|\.\d+/g, "")}.json`);
}

export async function readResults(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, "utf8").catch(() => "{}");
  return JSON.parse(text) as Record<string, unknown>;
}

export async function mergeResults(file: string, key: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const all = await readResults(file);
  all[key] = value;
  await writeFile(file, JSON.stringify(all, null, 2) + "\n");
}
