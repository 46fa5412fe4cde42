// Whole-file checks of a bundle held in memory: every listed file present
// with its byte size, sha256 and row count, no unlisted file, every row valid.
// The CLI runs this before uploading anything; Web Crypto makes it run in
// Node and in workerd alike.
import type { BundleFile, JsonlFile, Manifest } from "./manifest";
import { BUNDLE_FILES, BundleError, VECTORS_FILE, parseManifest } from "./manifest";
import { newRowContext, parseRow } from "./row-context";

export interface BundleBytes {
  manifestText: string;
  /** File name -> content, for every file of the bundle directory except manifest.json. */
  files: Map<string, Uint8Array>;
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The lines of a UTF-8 .jsonl file; a final line without `\n` is refused. */
export function jsonlLines(file: string, bytes: Uint8Array): string[] {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  if (text.length > 0 && !text.endsWith("\n")) throw new BundleError(file, null, "the last line must end with \\n");
  return text.length === 0 ? [] : text.slice(0, -1).split("\n");
}

export async function verifyBundle(bundle: BundleBytes, onProgress?: (file: string, rows: number) => void): Promise<Manifest> {
  const manifest = parseManifest(bundle.manifestText);
  for (const name of bundle.files.keys()) {
    if (!(name in manifest.files)) throw new BundleError(name, null, "present in the bundle but not listed in manifest.files");
  }
  const ctx = newRowContext({
    nLayers: manifest.model.nLayers,
    vocabSize: manifest.model.vocabSize,
    explanationCount: manifest.files["explanations.jsonl"]?.rows ?? 0,
  });
  for (const name of BUNDLE_FILES) {
    const entry = manifest.files[name];
    if (!entry) continue;
    const bytes = bundle.files.get(name);
    if (!bytes) throw new BundleError(name, null, "listed in manifest.files but missing");
    if (bytes.byteLength !== entry.bytes) throw new BundleError(name, null, `size ${bytes.byteLength} bytes, manifest says ${entry.bytes}`);
    const sha = await sha256Hex(bytes);
    if (sha !== entry.sha256) throw new BundleError(name, null, `sha256 ${sha} differs from the manifest's ${entry.sha256}`);
    if (name === VECTORS_FILE) {
      checkVectors(bytes, manifest.embedding.dim, 0);
      continue;
    }
    const lines = jsonlLines(name, bytes);
    if (lines.length !== entry.rows) throw new BundleError(name, null, `${lines.length} rows, manifest says ${entry.rows}`);
    lines.forEach((line, i) => parseRow(name as JsonlFile, line, i + 1, ctx));
    onProgress?.(name, lines.length);
  }
  return manifest;
}

/** Vectors must be finite and unit length (the manifest promises normalized rows). */
export function checkVectors(bytes: Uint8Array, dim: number, firstRow: number): number {
  if (bytes.byteLength % (dim * 4) !== 0) {
    throw new BundleError(VECTORS_FILE, null, `${bytes.byteLength} bytes is not a whole number of ${dim}-d float32 rows`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = bytes.byteLength / (dim * 4);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const v = view.getFloat32((r * dim + j) * 4, true);
      if (!Number.isFinite(v)) throw new BundleError(VECTORS_FILE, null, `row ${firstRow + r} has a non-finite value`);
      norm += v * v;
    }
    if (Math.abs(Math.sqrt(norm) - 1) > 1e-3) {
      throw new BundleError(VECTORS_FILE, null, `row ${firstRow + r} has L2 norm ${Math.sqrt(norm).toFixed(4)}, not 1`);
    }
  }
  return rows;
}

export type { BundleFile };
