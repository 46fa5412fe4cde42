// The in-isolate vector index, three stages per query:
//   1. Hamming distance between the query's sign bits and every row's
//      (48 bytes a row at dim 384, popcounts on 16-bit halves) keeps a
//      shortlist of rows (shortlistSize);
//   2. the shortlist is scored with the rows' int8 codes, keeping the best
//      candidates;
//   3. those are rescored exactly against fp16 vectors, when the release is
//      small enough to hold them (HALF_IN_MEMORY_MAX_ROWS). A larger release
//      keeps its int8 scores: reading the candidates' fp16 rows from R2 cost
//      one ranged read each (100-200 a query, most of a 250k search's time),
//      and per-row int8 codes put cosines within about 1e-3 of fp16
//      (test/search/local-index.test.ts bounds it).
// The first stage replaced a full int8 scan: it reads 8x fewer bytes and does
// no multiplications, and with a shortlist of >= 1,024 rows recall@10 against
// exact search stays >= 0.99 (test/search/local-index.test.ts, bench).
// Version 1 heads carry no sign bits and are scanned in int8 in full.
//
// Memory per row: dim + 10 bytes of codes and ids plus dim / 8 of sign bits
// (442 B at dim 384), plus 2 x dim bytes of fp16 when the release holds them.
import { decodeHeader, type IndexHeader } from "./index-format";
import { indexHalfKey, indexHeadKey } from "./index-keys";
import { halfTable } from "./half";
import { TopK } from "./top-k";
import { IndexUnavailable, type VectorFilter, type VectorHit } from "./vector-index";

/** Releases up to this many rows keep their fp16 vectors in memory (24 MB with the codes at dim 384). */
export const HALF_IN_MEMORY_MAX_ROWS = 20_000;
/**
 * The largest release the index loads by default: 31 MB of codes and bits at
 * dim 384 (a 65k-latent SAE fits). The query model's runtime takes about
 * 67 MiB of the isolate's 128 MB (GET /admin/isolate reports both).
 */
export const DEFAULT_MAX_ROWS = 70_000;
/** The Hamming stage keeps at least this many rows, and 1/64 of a larger release. */
export const SHORTLIST_MIN = 1024;

export function shortlistSize(rows: number, candidates: number): number {
  return Math.max(SHORTLIST_MIN, 8 * candidates, Math.ceil(rows / 64));
}

let popcounts: Uint8Array | undefined;
/** Set bits of every 16-bit value, built once per isolate (64 KB). */
function popcount16(): Uint8Array {
  if (!popcounts) {
    popcounts = new Uint8Array(65536);
    for (let v = 1; v < 65536; v++) popcounts[v] = (v & 1) + popcounts[v >>> 1]!;
  }
  return popcounts;
}
/** Candidates rescored exactly per query: enough for recall@10 >= 0.98 against exact search. */
export const RESCORE_CANDIDATES = 100;

export class LocalIndex {
  private readonly saeIds: Map<string, number>;

  constructor(
    readonly header: IndexHeader,
    private readonly saeOrdinals: Uint16Array,
    private readonly latentIndices: Uint32Array,
    private readonly records: Uint8Array,
    private readonly half: Uint16Array | null,
    /** Sign bits, bitWords u32 words a row; null for a version 1 head. */
    private readonly bits: Uint32Array | null = null,
  ) {
    this.saeIds = new Map(header.saes.map((s, i) => [s.id, i]));
  }

  /** Bytes this index holds in the isolate. */
  get bytes(): number {
    return (
      this.saeOrdinals.byteLength + this.latentIndices.byteLength + this.records.byteLength + (this.half?.byteLength ?? 0) + (this.bits?.byteLength ?? 0)
    );
  }

  /** Whether cosines are exact (fp16 rescoring) rather than from the int8 codes. */
  get exactScores(): boolean {
    return this.half !== null;
  }

  /** Whether queries take the Hamming first stage (version 2 heads). */
  get hasSignBits(): boolean {
    return this.bits !== null;
  }

  get rows(): number {
    return this.header.rows;
  }

  static fromHead(head: Uint8Array, half: Uint8Array | null): LocalIndex {
    const { header, layout } = decodeHeader(head);
    if (head.byteLength < layout.totalBytes) throw new Error("search index: head.bin is truncated");
    const buffer = head.buffer;
    const at = head.byteOffset;
    if (at % 4 !== 0) throw new Error("search index: head buffer must be 4-byte aligned");
    if (half && half.byteLength !== header.rows * header.dim * 2) throw new Error("search index: half.bin size mismatch");
    return new LocalIndex(
      header,
      new Uint16Array(buffer, at + layout.saeOffset, header.rows),
      new Uint32Array(buffer, at + layout.indexOffset, header.rows),
      new Uint8Array(buffer, at + layout.recordsOffset, header.rows * layout.recordStride),
      half ? new Uint16Array(half.buffer, half.byteOffset, half.byteLength / 2) : null,
      layout.bitsOffset === null ? null : new Uint32Array(buffer, at + layout.bitsOffset, header.rows * layout.bitWords),
    );
  }

  /** Which SAE ordinals pass the filter; null when every one does. */
  private allowed(filter: VectorFilter): Uint8Array | null {
    if (!filter.saes?.length && !filter.layers?.length) return null;
    const ok = new Uint8Array(this.header.saes.length);
    this.header.saes.forEach((s, i) => {
      const bySae = !filter.saes?.length || filter.saes.includes(s.id);
      const byLayer = !filter.layers?.length || filter.layers.includes(s.layer);
      ok[i] = bySae && byLayer ? 1 : 0;
    });
    return ok;
  }

  /**
   * Rows nearest the query in Hamming distance of sign bits: every row at a
   * distance up to the one where `size` rows are reached (ties included).
   * Filtered-out rows are skipped; null when every row passes.
   */
  private shortlist(query: Float32Array, size: number, ok: Uint8Array | null): Int32Array | null {
    const bits = this.bits!;
    const { dim, rows } = this.header;
    const words = bits.length / Math.max(rows, 1);
    const q = new Uint32Array(words);
    for (let d = 0; d < dim; d++) if (query[d]! > 0) q[d >>> 5]! |= 1 << (d & 31);
    const pc = popcount16();
    const dist = new Uint16Array(rows);
    const histogram = new Uint32Array(dim + 1);
    let kept = 0;
    for (let r = 0; r < rows; r++) {
      if (ok && !ok[this.saeOrdinals[r]!]) {
        dist[r] = 0xffff;
        continue;
      }
      let h = 0;
      const base = r * words;
      for (let w = 0; w < words; w++) {
        const x = bits[base + w]! ^ q[w]!;
        h += pc[x & 0xffff]! + pc[x >>> 16]!;
      }
      dist[r] = h;
      histogram[h]!++;
      kept++;
    }
    if (kept <= size) return ok ? Int32Array.from({ length: rows }, (_, r) => (dist[r] === 0xffff ? -1 : r)).filter((r) => r >= 0) : null;
    let cutoff = 0;
    for (let seen = histogram[0]!; seen < size; seen += histogram[++cutoff]!);
    const out: number[] = [];
    for (let r = 0; r < rows; r++) if (dist[r]! <= cutoff) out.push(r);
    return Int32Array.from(out);
  }

  /** Approximate scores from the int8 codes; the best `candidates` rows. */
  scan(query: Float32Array, candidates: number, filter: VectorFilter): { id: number; score: number }[] {
    const { dim, rows } = this.header;
    const stride = dim + 4;
    const scales = new Float32Array(this.records.buffer, this.records.byteOffset, (rows * stride) / 4);
    const codes = new Int8Array(this.records.buffer, this.records.byteOffset, rows * stride);
    const ok = this.allowed(filter);
    if (ok && !ok.some(Boolean)) return [];
    const top = new TopK(candidates);
    const score = (r: number) => {
      const base = r * stride + 4;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let d = 0; d < dim; d += 4) {
        s0 += codes[base + d]! * query[d]!;
        s1 += codes[base + d + 1]! * query[d + 1]!;
        s2 += codes[base + d + 2]! * query[d + 2]!;
        s3 += codes[base + d + 3]! * query[d + 3]!;
      }
      top.push(r, (s0 + s1 + s2 + s3) * scales[(r * stride) / 4]!);
    };
    const list = this.bits ? this.shortlist(query, shortlistSize(rows, candidates), ok) : null;
    if (list) {
      for (let i = 0; i < list.length; i++) score(list[i]!);
    } else {
      for (let r = 0; r < rows; r++) if (!ok || ok[this.saeOrdinals[r]!]) score(r);
    }
    return top.result();
  }

  /** A row's stored vector: fp16 when held, else decoded from its int8 code. */
  async vector(row: number): Promise<Float32Array | null> {
    if (!Number.isInteger(row) || row < 0 || row >= this.header.rows) return null;
    const dim = this.header.dim;
    if (this.half) {
      const table = halfTable();
      return Float32Array.from(this.half.subarray(row * dim, (row + 1) * dim), (h) => table[h]!);
    }
    const stride = dim + 4;
    const base = this.records.byteOffset + row * stride;
    const scale = new Float32Array(this.records.buffer, base, 1)[0]!;
    return Float32Array.from(new Int8Array(this.records.buffer, base + 4, dim), (c) => c * scale);
  }

  async query(query: Float32Array, topK: number, filter: VectorFilter): Promise<VectorHit[]> {
    if (query.length !== this.header.dim) {
      throw new Error(`query has ${query.length} dimensions, the index ${this.header.dim}`);
    }
    const candidates = this.scan(query, Math.max(RESCORE_CANDIDATES, topK * 2), filter);
    const half = this.half;
    const dim = this.header.dim;
    const rescored = half
      ? candidates.map(({ id }) => {
          const table = halfTable();
          let dot = 0;
          for (let d = 0, at = id * dim; d < dim; d++, at++) dot += table[half[at]!]! * query[d]!;
          return { id, score: dot };
        })
      : candidates;
    rescored.sort((a, b) => b.score - a.score);
    const minScore = filter.minScore ?? -Infinity;
    return rescored
      .filter((c) => c.score >= minScore)
      .slice(0, topK)
      .map(({ id, score }) => {
        const sae = this.header.saes[this.saeOrdinals[id]!]!;
        return { release: this.header.release, explanation: id, sae: sae.id, layer: sae.layer, index: this.latentIndices[id]!, score };
      });
  }
}

/** Loads one release's index from R2; null when the release has none. */
export async function loadLocalIndex(bucket: R2Bucket, release: number, maxRows = DEFAULT_MAX_ROWS): Promise<LocalIndex | null> {
  const headObject = await bucket.get(indexHeadKey(release));
  if (!headObject) return null;
  const head = new Uint8Array(await headObject.arrayBuffer());
  const { header } = decodeHeader(head);
  if (header.rows > maxRows) {
    throw new IndexUnavailable(
      `release ${release} has ${header.rows} vectors; the in-isolate index serves up to ${maxRows} (use VECTOR_BACKEND=vectorize)`,
    );
  }
  const halfKey = indexHalfKey(release);
  let half: Uint8Array | null = null;
  if (header.rows <= HALF_IN_MEMORY_MAX_ROWS) {
    const object = await bucket.get(halfKey);
    if (!object) throw new IndexUnavailable(`search index of release ${release} lacks ${halfKey}`);
    half = new Uint8Array(await object.arrayBuffer());
  }
  return LocalIndex.fromHead(head, half);
}

