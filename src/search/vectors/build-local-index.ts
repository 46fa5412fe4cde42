// Builds the in-isolate index of a release (head.bin + half.bin in R2),
// streaming the release's vector parts through the encoder.
import { encodeHalf, encodeHeadPrefix, encodeRecords, encodeSignBits, headLayout, INDEX_VERSION, type IndexHeader } from "./index-format";
import { indexHalfKey, indexHeadKey } from "./index-keys";
import type { ReleaseRows } from "./release-rows";
import { vectorPartKeys, vectorParts } from "./vector-parts";

export interface BuildInput {
  release: number;
  model: string;
  embeddingModel: string;
  dim: number;
  rows: ReleaseRows;
}

async function putStreamed(bucket: R2Bucket, key: string, length: number, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const stream = new FixedLengthStream(length);
  const writer = stream.writable.getWriter();
  const put = bucket.put(key, stream.readable);
  try {
    for await (const chunk of chunks) await writer.write(chunk);
    await writer.close();
  } catch (err) {
    await writer.abort(err).catch(() => undefined);
    await put.catch(() => undefined);
    throw err;
  }
  await put;
}

export async function buildLocalIndex(bucket: R2Bucket, input: BuildInput): Promise<IndexHeader> {
  const { dim, rows } = input;
  const n = rows.saeOrdinals.length;
  const parts = await vectorPartKeys(bucket, input.release);
  const stored = parts.reduce((sum, p) => sum + p.size, 0) / (dim * 4);
  if (stored !== n) {
    throw new Error(`release ${input.release}: ${stored} vectors stored in R2, ${n} explanations in D1`);
  }
  const header: IndexHeader = {
    format: "feature-atlas-search-index",
    version: INDEX_VERSION,
    release: input.release,
    model: input.model,
    embeddingModel: input.embeddingModel,
    dim,
    rows: n,
    saes: rows.saes,
  };
  const prefix = encodeHeadPrefix(header, rows.saeOrdinals, rows.latentIndices);
  const json = new TextEncoder().encode(JSON.stringify(header)).length;
  const layout = headLayout(json, n, dim, header.version);
  await putStreamed(bucket, indexHeadKey(input.release), layout.totalBytes, (async function* () {
    yield prefix;
    for await (const part of vectorParts(bucket, parts)) yield encodeRecords(part, dim);
    // A second pass over the parts: the sign bits follow every record.
    for await (const part of vectorParts(bucket, parts)) yield encodeSignBits(part, dim);
  })());
  await putStreamed(bucket, indexHalfKey(input.release), n * dim * 2, (async function* () {
    for await (const part of vectorParts(bucket, parts)) yield encodeHalf(part);
  })());
  return header;
}
