// Reads a release's explanation vectors back from R2 in row order, for the
// search module's index build (prepareSearchIndex).
import { releasePrefix } from "./blob-keys";

export interface ReleaseVectors {
  dim: number;
  rows: number;
  /** rows x dim, row-major; row i is the embedding of explanation id i. */
  data: Float32Array;
}

export async function readReleaseVectors(bucket: R2Bucket, release: number, dim: number): Promise<ReleaseVectors> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `${releasePrefix(release)}vectors/`, cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  keys.sort();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const key of keys) {
    const object = await bucket.get(key);
    if (!object) throw new Error(`vector part ${key} vanished while reading`);
    const bytes = new Uint8Array(await object.arrayBuffer());
    parts.push(bytes);
    total += bytes.byteLength;
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.byteLength;
  }
  return { dim, rows: total / (dim * 4), data: new Float32Array(all.buffer, 0, total / 4) };
}
