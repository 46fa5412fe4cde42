// Writes the small test bundle of test/fixtures/small-bundle.ts (every file of
// the format: decodings, token index, matches, SAE pairs, examples) to a
// directory, so the fuzzed Worker holds data for every route to reach.
//   tsx test/fuzz/write-seed-bundle.ts <dir>
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildBundle } from "../fixtures/small-bundle";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: tsx test/fuzz/write-seed-bundle.ts <dir>");
  process.exit(2);
}
const bundle = await buildBundle({ bundleId: "fuzz-seed-bundle" });
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, "manifest.json"), bundle.manifestText);
for (const [name, bytes] of bundle.files) await writeFile(path.join(dir, name), bytes);
console.error(`wrote ${bundle.files.size + 1} files to ${dir}`);
