// The in-isolate index as a VectorIndex: each release's index is loaded from
// R2 once per isolate and kept while the isolate lives (a few releases at
// most; a new release of a model pushes the oldest out).
import { IsolateCache } from "../../isolate-cache";
import { DEFAULT_MAX_ROWS, LocalIndex, loadLocalIndex } from "./local-index";
import { IndexUnavailable, type ReleaseRef, type VectorFilter, type VectorHit, type VectorIndex } from "./vector-index";

const MAX_CACHED_RELEASES = 4;
/**
 * Bytes the cached indexes may hold together. With the query model's runtime
 * heap (about 67 MiB) this keeps search near 110 MB of a 128 MB isolate; one
 * release at DEFAULT_MAX_ROWS (31 MB) fits, as do several small ones.
 */
export const INDEX_CACHE_BUDGET_BYTES = 40 * 2 ** 20;
const cache = new IsolateCache<number, LocalIndex>({
  capacity: MAX_CACHED_RELEASES,
  budget: INDEX_CACHE_BUDGET_BYTES,
  weigh: (index) => index.bytes,
});

export function cachedLocalIndex(bucket: R2Bucket, release: number, maxRows = DEFAULT_MAX_ROWS): Promise<LocalIndex> {
  return cache.get(release, async () => {
    const index = await loadLocalIndex(bucket, release, maxRows);
    if (!index) {
      throw new IndexUnavailable(`the search index of release ${release} is not in R2; ingest the bundle again to rebuild it`);
    }
    return index;
  });
}

/** The indexes this isolate holds now (for the isolate memory report). */
export function cachedIndexes(): LocalIndex[] {
  return cache.held();
}

export class LocalBackend implements VectorIndex {
  readonly name = "local" as const;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly maxRows = DEFAULT_MAX_ROWS,
  ) {}

  async query(release: ReleaseRef, vector: Float32Array, topK: number, filter: VectorFilter): Promise<VectorHit[]> {
    const index = await cachedLocalIndex(this.bucket, release.release, this.maxRows);
    return index.query(vector, topK, filter);
  }

  async vectorsOf(release: ReleaseRef, explanations: number[]): Promise<(Float32Array | null)[]> {
    const index = await cachedLocalIndex(this.bucket, release.release, this.maxRows);
    return Promise.all(explanations.map((e) => index.vector(e)));
  }
}
