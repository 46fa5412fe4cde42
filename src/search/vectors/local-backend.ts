// The in-isolate index as a VectorIndex: each release's index is loaded from
// R2 once per isolate and kept while the isolate lives (a few releases at
// most; a new release of a model pushes the oldest out).
import { IsolateCache } from "../../isolate-cache";
import { DEFAULT_MAX_ROWS, LocalIndex, loadLocalIndex } from "./local-index";
import { IndexUnavailable, type ReleaseRef, type VectorFilter, type VectorHit, type VectorIndex } from "./vector-index";

const MAX_CACHED_RELEASES = 4;
const cache = new IsolateCache<number, LocalIndex>(MAX_CACHED_RELEASES);

export function cachedLocalIndex(bucket: R2Bucket, release: number, maxRows = DEFAULT_MAX_ROWS): Promise<LocalIndex> {
  return cache.get(release, async () => {
    const index = await loadLocalIndex(bucket, release, maxRows);
    if (!index) {
      throw new IndexUnavailable(`the search index of release ${release} is not in R2; ingest the bundle again to rebuild it`);
    }
    return index;
  });
}

/** Bytes held by the cached indexes of this isolate (for the bench and diagnostics). */
export async function cachedIndexBytes(): Promise<number> {
  return cache.held().reduce((sum, index) => sum + index.bytes, 0);
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

  async vectorOf(release: ReleaseRef, explanation: number): Promise<Float32Array | null> {
    const index = await cachedLocalIndex(this.bucket, release.release, this.maxRows);
    return index.vector(explanation);
  }

  async vectorsOf(release: ReleaseRef, explanations: number[]): Promise<(Float32Array | null)[]> {
    const index = await cachedLocalIndex(this.bucket, release.release, this.maxRows);
    return Promise.all(explanations.map((e) => index.vector(e)));
  }
}
