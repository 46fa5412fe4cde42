// The in-isolate vector index of one release, as two R2 objects:
//
//   head.bin  "FAX1" | u32 header length | header JSON | pad to 8
//             | u16 sae ordinal x rows | pad to 4 | u32 latent index x rows | pad to 4
//             | row records x rows: f32 scale + dim x int8 code (stride dim + 4 bytes)
//             | (version 2) sign bits x rows: ceil(dim / 32) u32 words per row
//   half.bin  fp16 vectors, rows x dim, row-major (exact rescoring)
//
// Codes are per-row symmetric int8 (code = round(v / scale), scale = max|v| / 127),
// so one record is read as a Float32Array slot and an Int8Array run. The sign
// bits (bit d of a row is set when component d is positive) give the Hamming
// first stage of a query; version 1 heads have none and are scanned in int8
// only. All sections can be written part by part, so building the index never
// holds the release's fp32 vectors in memory.
import { toHalf } from "./half";

export const INDEX_MAGIC = "FAX1";
export const INDEX_VERSION = 2;
/** Versions this code reads: 1 (no sign bits) and 2. */
const READABLE_VERSIONS = [1, 2];

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
  /** Where the sign bits start; null for a version 1 head. */
  bitsOffset: number | null;
  /** u32 words of sign bits per row. */
  bitWords: number;
  totalBytes: number;
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;

export function headLayout(headerBytes: number, rows: number, dim: number, version = INDEX_VERSION): HeadLayout {
  if (dim % 4 !== 0) throw new Error(`index dim ${dim} must be a multiple of 4`);
  const saeOffset = align(8 + headerBytes, 8);
  const indexOffset = align(saeOffset + rows * 2, 4);
  const recordsOffset = align(indexOffset + rows * 4, 4);
  const recordStride = dim + 4;
  const recordsEnd = recordsOffset + rows * recordStride;
  const bitWords = Math.ceil(dim / 32);
  if (version < 2) return { saeOffset, indexOffset, recordsOffset, recordStride, bitsOffset: null, bitWords, totalBytes: recordsEnd };
  return { saeOffset, indexOffset, recordsOffset, recordStride, bitsOffset: recordsEnd, bitWords, totalBytes: recordsEnd + rows * bitWords * 4 };
}

/** head.bin up to its row records: magic, header, SAE ordinals and latent indices. */
export function encodeHeadPrefix(header: IndexHeader, saeOrdinals: Uint16Array, latentIndices: Uint32Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const layout = headLayout(json.length, header.rows, header.dim, header.version);
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

/** Sign bits of consecutive vectors: bit d of a row's words is set when v[d] > 0. */
export function encodeSignBits(vectors: Float32Array, dim: number): Uint8Array {
  const rows = vectors.length / dim;
  const words = Math.ceil(dim / 32);
  const out = new Uint32Array(rows * words);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dim; d++) {
      if (vectors[r * dim + d]! > 0) out[r * words + (d >>> 5)]! |= 1 << (d & 31);
    }
  }
  return new Uint8Array(out.buffer);
}

/** A whole head.bin in memory (tests, benches, small indexes); ingest streams it instead. */
export function encodeHead(header: IndexHeader, saeOrdinals: Uint16Array, latentIndices: Uint32Array, vectors: Float32Array): Uint8Array {
  const sections = [encodeHeadPrefix(header, saeOrdinals, latentIndices), encodeRecords(vectors, header.dim)];
  if (header.version >= 2) sections.push(encodeSignBits(vectors, header.dim));
  const out = new Uint8Array(sections.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of sections) {
    out.set(s, at);
    at += s.length;
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
  if (header.format !== "feature-atlas-search-index" || !READABLE_VERSIONS.includes(header.version)) {
    throw new Error(`search index: unsupported format ${header.format} v${header.version}`);
  }
  return { header, layout: headLayout(length, header.rows, header.dim, header.version) };
}
