// How a verified bundle is cut into upload parts: whole lines (or whole
// vectors) per part, parts small enough for one request, and all examples of
// one latent in the same part (a latent's examples are packed into one R2
// byte range).
import type { BundleFile, Manifest } from "./manifest";
import { BUNDLE_FILES, VECTORS_FILE } from "./manifest";
import { jsonlLines } from "./verify";

export interface UploadPart {
  file: BundleFile;
  /** 1-based first line (for vectors: 1-based first vector row). */
  firstLine: number;
  rows: number;
  body: Uint8Array;
}

export interface PlanOptions {
  rowsPerPart?: number;
  bytesPerPart?: number;
}

const encoder = new TextEncoder();

function examplesGroupedByLatent(lines: string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const line of lines) {
    const row = JSON.parse(line) as { sae: string; index: number };
    const key = `${row.sae}\u0000${row.index}`;
    const group = groups.get(key);
    if (group) group.push(line);
    else groups.set(key, [line]);
  }
  return [...groups.values()].flat();
}

function latentKey(line: string): string {
  const row = JSON.parse(line) as { sae: string; index: number };
  return `${row.sae}\u0000${row.index}`;
}

function* jsonlParts(file: BundleFile, lines: string[], rowsPerPart: number, bytesPerPart: number): Generator<UploadPart> {
  let start = 0;
  while (start < lines.length) {
    let end = start;
    let bytes = 0;
    while (end < lines.length && end - start < rowsPerPart && (end === start || bytes + lines[end]!.length < bytesPerPart)) {
      bytes += lines[end]!.length + 1;
      end++;
    }
    if (file === "examples.jsonl" && end < lines.length) {
      // Move the cut back to a latent boundary, unless one latent fills the part.
      const boundary = latentKey(lines[end]!);
      let cut = end;
      while (cut > start && latentKey(lines[cut - 1]!) === boundary) cut--;
      if (cut > start) end = cut;
      else while (end < lines.length && latentKey(lines[end]!) === boundary) end++;
    }
    const body = encoder.encode(lines.slice(start, end).join("\n") + "\n");
    yield { file, firstLine: start + 1, rows: end - start, body };
    start = end;
  }
}

export function planUpload(manifest: Manifest, files: Map<string, Uint8Array>, options: PlanOptions = {}): UploadPart[] {
  const rowsPerPart = options.rowsPerPart ?? 1000;
  const bytesPerPart = options.bytesPerPart ?? 4 * 1024 * 1024;
  const parts: UploadPart[] = [];
  for (const file of BUNDLE_FILES) {
    if (!manifest.files[file]) continue;
    const bytes = files.get(file);
    if (!bytes) continue;
    if (file === VECTORS_FILE) {
      const rowBytes = manifest.embedding.dim * 4;
      const perPart = Math.max(1, Math.min(rowsPerPart, Math.floor(bytesPerPart / rowBytes)));
      for (let row = 0; row * rowBytes < bytes.byteLength; row += perPart) {
        const body = bytes.subarray(row * rowBytes, Math.min(bytes.byteLength, (row + perPart) * rowBytes));
        parts.push({ file, firstLine: row + 1, rows: body.byteLength / rowBytes, body });
      }
      continue;
    }
    let lines = jsonlLines(file, bytes);
    if (file === "examples.jsonl") lines = examplesGroupedByLatent(lines);
    parts.push(...jsonlParts(file, lines, rowsPerPart, bytesPerPart));
  }
  return parts;
}
