// Writes a synthetic bundle of N explanations for the search latency bench:
// the 16k demo explanations repeated over SAEs of 16,384 latents each
// (syn-0, syn-1, ... at layers 0, 1, ...), each copy's vector the demo vector
// plus Gaussian noise (cosine about 0.86 to the original), renormalised.
//   tsx bench/search-synthetic-bundle.ts <out dir> [rows=250000]
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const DEMO = path.join(ROOT, "demo/bundles/gemma-2-2b-gemmascope-res-16k");
const WIDTH = 16_384;
const DIM = 384;

async function main() {
  const [out, rowsArg] = process.argv.slice(2);
  if (!out) throw new Error("usage: search-synthetic-bundle.ts <out dir> [rows]");
  const rows = Number(rowsArg ?? 250_000);
  if (!Number.isInteger(rows) || rows < 1 || rows > 2_000_000) throw new Error(`rows must be an integer in 1..2000000, got ${rowsArg}`);
  await mkdir(out, { recursive: true });
  const demoManifest = JSON.parse(await readFile(path.join(DEMO, "manifest.json"), "utf8")) as { embedding: unknown };
  const texts = (await readFile(path.join(DEMO, "explanations.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { text: string });
  const demoVecBytes = await readFile(path.join(DEMO, "explanation_vectors.f32"));
  const demo = new Float32Array(demoVecBytes.buffer, demoVecBytes.byteOffset, demoVecBytes.byteLength / 4);
  const nSaes = Math.ceil(rows / WIDTH);

  let seed = 20261124;
  const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

  const saes = Array.from({ length: nSaes }, (_, s) => JSON.stringify({
    id: `syn-${s}`, hookpoint: `model.layers.${s}`, layer: s, site: "resid_post", kind: "sae", architecture: "topk", width: WIDTH, k: 32, dIn: 2304, stats: {},
  }) + "\n").join("");
  const lines: string[] = [];
  const vectors = new Float32Array(rows * DIM);
  for (let i = 0; i < rows; i++) {
    const src = i % texts.length;
    lines.push(JSON.stringify({ id: i, sae: `syn-${Math.floor(i / WIDTH)}`, index: i % WIDTH, text: texts[src]!.text, explainer: "synthetic", method: "copy-with-noise", promptVersion: null }) + "\n");
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const v = demo[src * DIM + d]! + 0.03 * gauss();
      vectors[i * DIM + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < DIM; d++) vectors[i * DIM + d]! /= Math.sqrt(norm);
    if (i % 10_000 === 0) process.stderr.write(`\r  synthetic rows ${i}/${rows}`);
  }
  process.stderr.write(`\r  synthetic rows ${rows}/${rows}\n`);
  const files: Record<string, Uint8Array> = {
    "saes.jsonl": new TextEncoder().encode(saes),
    "explanations.jsonl": new TextEncoder().encode(lines.join("")),
    "explanation_vectors.f32": new Uint8Array(vectors.buffer),
  };
  const entries: Record<string, unknown> = {};
  for (const [name, bytes] of Object.entries(files)) {
    await writeFile(path.join(out, name), bytes);
    entries[name] = { rows: name === "saes.jsonl" ? nSaes : rows, bytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  const manifest = {
    format: "feature-atlas-bundle",
    formatVersion: 1,
    bundleId: `synthetic-${rows}`,
    createdAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    producer: { name: "feature-atlas-bench", version: "0.1.0" },
    source: { kind: "pipeline", origin: "synthetic: demo explanations repeated, vectors with noise", license: "Apache-2.0" },
    model: { id: "synthetic", displayName: "Synthetic", architecture: null, nLayers: nSaes, dModel: null, dMlp: null, vocabSize: null },
    embedding: demoManifest.embedding,
    files: entries,
  };
  await writeFile(path.join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
  console.error(`wrote ${rows} explanations over ${nSaes} SAEs to ${out}`);
}

main().catch((err: Error) => {
  console.error(`synthetic bundle failed: ${err.message}`);
  process.exit(1);
});
