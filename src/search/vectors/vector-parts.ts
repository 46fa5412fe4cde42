// The raw fp32 explanation vectors of a release, as ingest stored them in R2
// (releases/N/vectors/<first row>.f32, zero-padded so key order is row order).
// Read one part at a time so that building an index never holds them all.
import { releasePrefix } from "../../ingest/blob-keys";

export async function vectorPartKeys(bucket: R2Bucket, release: number): Promise<{ key: string; size: number }[]> {
  const parts: { key: string; size: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `${releasePrefix(release)}vectors/`, cursor });
    parts.push(...page.objects.map((o) => ({ key: o.key, size: o.size })));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return parts.sort((a, b) => (a.key < b.key ? -1 : 1));
}

export async function* vectorParts(bucket: R2Bucket, keys: { key: string }[]): AsyncGenerator<Float32Array> {
  for (const { key } of keys) {
    const object = await bucket.get(key);
    if (!object) throw new Error(`vector part ${key} vanished while building the search index`);
    yield new Float32Array(await object.arrayBuffer());
  }
}
