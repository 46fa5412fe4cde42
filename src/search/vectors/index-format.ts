// The in-isolate vector index of one release, as two R2 objects:
//
//   head.bin  "FAX1" | u32 header length | header JSON | pad to 8
//             | u16 sae ordinal x rows | pad to 4 | u32 latent index x rows | pad to 4
//             | row records x rows: f32 scale + dim x int8 code (stride dim + 4 bytes)
//   half.bin  fp16 vectors, rows x dim, row-major (exact rescoring)
//
// Codes are per-row symmetric int8 (code = round(v / scale), scale = max|v| / 127),
// so one record is read as a Float32Array slot and an Int8Array run. Both
// objects can be written part by part, so building the index never holds the
// release's fp32 vectors in memory.
import { toHalf } from "./half";

export const INDEX_MAGIC = "FAX1";
export const INDEX_VERSION = 1;

export interface IndexHeader {
  format: "feature-atlas-search-index";
  version: number;
  release: number;
  model: string;
  embeddingModel: string;
  dim: number;
  rows: number;
  /** SAE ordinal -> id and layer; rows store the ordinal. */
  saes: { id: string; layer: number }[];
}

export interface HeadLayout {
  saeOffset: number;
  indexOffset: number;
  recordsOffset: number;
  recordStride: number;
  totalBytes: number;
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;

export function headLayout(headerBytes: number, rows: number, dim: number): HeadLayout {
  if (dim % 4 !== 0) throw new Error(`index dim ${dim} must be a multiple of 4`);
  const saeOffset = align(8 + headerBytes, 8);
  const indexOffset = align(saeOffset + rows * 2, 4);
  const recordsOffset = align(indexOffset + rows * 4, 4);
  const recordStride = dim + 4;
  return { saeOffset, indexOffset, recordsOffset, recordStride, totalBytes: recordsOffset + rows * recordStride };
}

/** head.bin up to its row records: magic, header, SAE ordinals and latent indices. */
export function encodeHeadPrefix(header: IndexHeader, saeOrdinals: Uint16Array, latentIndices: Uint32Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const layout = headLayout(json.length, header.rows, header.dim);
  const out = new Uint8Array(layout.recordsOffset);
  out.set(new TextEncoder().encode(INDEX_MAGIC), 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  new Uint16Array(out.buffer, layout.saeOffset, header.rows).set(saeOrdinals);
  new Uint32Array(out.buffer, layout.indexOffset, header.rows).set(latentIndices);
  return out;
}

/** Row records (scale + int8 code) of consecutive vectors. */
export function encodeRecords(vectors: Float32Array, dim: number): Uint8Array {
  const rows = vectors.length / dim;
  const stride = dim + 4;
  const out = new Uint8Array(rows * stride);
  const scales = new Float32Array(out.buffer);
  const codes = new Int8Array(out.buffer);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(vectors[r * dim + d]!));
    const scale = max > 0 ? max / 127 : 1;
    scales[(r * stride) / 4] = scale;
    const base = r * stride + 4;
    for (let d = 0; d < dim; d++) codes[base + d] = Math.round(vectors[r * dim + d]! / scale);
  }
  return out;
}

/** fp16 copies of consecutive vectors (half.bin). */
export function encodeHalf(vectors: Float32Array): Uint8Array {
  const out = new Uint16Array(vectors.length);
  for (let i = 0; i < vectors.length; i++) out[i] = toHalf(vectors[i]!);
  return new Uint8Array(out.buffer);
}

/** Reads the header and layout from the first bytes of head.bin. */
export function decodeHeader(prefix: Uint8Array): { header: IndexHeader; layout: HeadLayout } {
  const magic = new TextDecoder().decode(prefix.subarray(0, 4));
  if (magic !== INDEX_MAGIC) throw new Error(`search index: bad magic ${JSON.stringify(magic)}`);
  const length = new DataView(prefix.buffer, prefix.byteOffset).getUint32(4, true);
  if (prefix.length < 8 + length) throw new Error("search index: header truncated");
  const header = JSON.parse(new TextDecoder().decode(prefix.subarray(8, 8 + length))) as IndexHeader;
  if (header.format !== "feature-atlas-search-index" || header.version !== INDEX_VERSION) {
    throw new Error(`search index: unsupported format ${header.format} v${header.version}`);
  }
  return { header, layout: headLayout(length, header.rows, header.dim) };
}
