// The in-isolate vector index: one release's int8 codes scanned in full,
// then the best candidates rescored exactly against fp16 vectors.
//
// Memory per row: dim + 10 bytes in the scan (394 B at dim 384), plus 2 x dim
// bytes of fp16 when the release is small enough to hold them
// (HALF_IN_MEMORY_MAX_ROWS); larger releases read the fp16 rows of their
// candidates from R2 with ranged reads instead.
import { decodeHeader, type IndexHeader } from "./index-format";
import { indexHalfKey, indexHeadKey } from "./index-keys";
import { halfTable } from "./half";
import { TopK } from "./top-k";
import { IndexUnavailable, type VectorFilter, type VectorHit } from "./vector-index";

/** Releases up to this many rows keep their fp16 vectors in memory (30 MB at dim 384). */
export const HALF_IN_MEMORY_MAX_ROWS = 40_000;
/** The largest release the index loads by default: its scan data is 47 MB at dim 384. */
export const DEFAULT_MAX_ROWS = 120_000;
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
    private readonly readHalfRow: (row: number) => Promise<Uint16Array>,
  ) {
    this.saeIds = new Map(header.saes.map((s, i) => [s.id, i]));
  }

  /** Bytes this index holds in the isolate. */
  get bytes(): number {
    return this.saeOrdinals.byteLength + this.latentIndices.byteLength + this.records.byteLength + (this.half?.byteLength ?? 0);
  }

  get rows(): number {
    return this.header.rows;
  }

  static fromHead(head: Uint8Array, half: Uint8Array | null, readHalfRow: (row: number) => Promise<Uint16Array>): LocalIndex {
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
      readHalfRow,
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

  /** Approximate scores from the int8 codes; the best `candidates` rows. */
  scan(query: Float32Array, candidates: number, filter: VectorFilter): { id: number; score: number }[] {
    const { dim, rows } = this.header;
    const stride = dim + 4;
    const scales = new Float32Array(this.records.buffer, this.records.byteOffset, (rows * stride) / 4);
    const codes = new Int8Array(this.records.buffer, this.records.byteOffset, rows * stride);
    const ok = this.allowed(filter);
    if (ok && !ok.some(Boolean)) return [];
    const top = new TopK(candidates);
    for (let r = 0; r < rows; r++) {
      if (ok && !ok[this.saeOrdinals[r]!]) continue;
      const base = r * stride + 4;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let d = 0; d < dim; d += 4) {
        s0 += codes[base + d]! * query[d]!;
        s1 += codes[base + d + 1]! * query[d + 1]!;
        s2 += codes[base + d + 2]! * query[d + 2]!;
        s3 += codes[base + d + 3]! * query[d + 3]!;
      }
      top.push(r, (s0 + s1 + s2 + s3) * scales[(r * stride) / 4]!);
    }
    return top.result();
  }

  async halfRow(row: number): Promise<Uint16Array> {
    const dim = this.header.dim;
    return this.half ? this.half.subarray(row * dim, (row + 1) * dim) : this.readHalfRow(row);
  }

  async vector(row: number): Promise<Float32Array | null> {
    if (!Number.isInteger(row) || row < 0 || row >= this.header.rows) return null;
    const table = halfTable();
    return Float32Array.from(await this.halfRow(row), (h) => table[h]!);
  }

  async query(query: Float32Array, topK: number, filter: VectorFilter): Promise<VectorHit[]> {
    if (query.length !== this.header.dim) {
      throw new Error(`query has ${query.length} dimensions, the index ${this.header.dim}`);
    }
    const candidates = this.scan(query, Math.max(RESCORE_CANDIDATES, topK * 2), filter);
    const table = halfTable();
    const rescored = await Promise.all(
      candidates.map(async ({ id }) => {
        const h = await this.halfRow(id);
        let dot = 0;
        for (let d = 0; d < h.length; d++) dot += table[h[d]!]! * query[d]!;
        return { id, score: dot };
      }),
    );
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
  const rowBytes = header.dim * 2;
  let half: Uint8Array | null = null;
  if (header.rows <= HALF_IN_MEMORY_MAX_ROWS) {
    const object = await bucket.get(halfKey);
    if (!object) throw new IndexUnavailable(`search index of release ${release} lacks ${halfKey}`);
    half = new Uint8Array(await object.arrayBuffer());
  }
  const readHalfRow = async (row: number) => {
    const object = await bucket.get(halfKey, { range: { offset: row * rowBytes, length: rowBytes } });
    if (!object) throw new IndexUnavailable(`search index of release ${release} lacks ${halfKey}`);
    return new Uint16Array(await object.arrayBuffer());
  };
  return LocalIndex.fromHead(head, half, readHalfRow);
}

