// Renders one bench results file as the "Latest numbers" markdown block:
// the machine, then every numeric figure of every bench as `path: value`, so a
// bench added later shows up without changes here.

export const BLOCK_START = "<!-- latest-numbers:start -->";
export const BLOCK_END = "<!-- latest-numbers:end -->";

/** Leaf figures worth printing: numbers, booleans and short strings, skipping bulky or per-run noise. */
function leaves(value: unknown, prefix: string, out: [string, string][]): void {
  if (out.length > 400) return;
  if (typeof value === "number" || typeof value === "boolean") out.push([prefix, String(value)]);
  else if (typeof value === "string") {
    if (value.length <= 80 && !/^(takenAt|url|file|timestamp)$/.test(prefix.split(".").pop() ?? "")) out.push([prefix, value]);
  } else if (Array.isArray(value)) {
    if (value.length <= 8 && value.every((v) => typeof v === "number")) out.push([prefix, `[${value.join(", ")}]`]);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "machine" || k === "problems") continue;
      leaves(v, prefix ? `${prefix}.${k}` : k, out);
    }
  }
}

export function renderNumbers(results: Record<string, unknown>, resultsFile: string): string {
  const m = results.machine as { cpuModel: string; cores: number; memoryGiB: number; loadAverage1m: number; platform: string } | undefined;
  const lines = [BLOCK_START, `## Latest numbers`, ""];
  lines.push(`From \`${resultsFile}\`, collected ${String(results.collectedAt ?? "")}.`);
  if (m) lines.push(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.platform} (1-minute load average ${m.loadAverage1m} when collected).`);
  for (const [bench, figures] of Object.entries(results)) {
    if (bench === "machine" || bench === "collectedAt") continue;
    const rows: [string, string][] = [];
    leaves(figures, "", rows);
    if (!rows.length) continue;
    lines.push("", `### ${bench}`, "", "| figure | value |", "|---|---|");
    for (const [k, v] of rows) lines.push(`| ${k} | ${v.replace(/\|/g, "\\|")} |`);
  }
  lines.push(BLOCK_END);
  return lines.join("\n");
}

/** The text with its block replaced, or null when it has no block. */
export function replaceBlock(text: string, block: string): string | null {
  const start = text.indexOf(BLOCK_START);
  const end = text.indexOf(BLOCK_END);
  if (start < 0 || end < start) return null;
  return text.slice(0, start) + block + text.slice(end + BLOCK_END.length);
}
