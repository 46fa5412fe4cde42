// Called by ingest after every row of a release is stored and before the
// release is switched live: builds what the search backends need. The
// in-isolate index (R2: releases/N/search/head.bin + half.bin) is always
// built, so local mode and "more like this" work; with VECTOR_BACKEND =
// "vectorize" the vectors are also upserted into the VECTORS index. The
// release's frequent words (lexical search leaves them out) go to R2 too.
import type { Env } from "../env";
import { loadRelease } from "../ingest/releases";
import { buildFrequentWords } from "./lexical/frequent-words";
import { buildLocalIndex } from "./vectors/build-local-index";
import { readReleaseRows } from "./vectors/release-rows";
import { upsertReleaseToVectorize } from "./vectors/vectorize-index";

export async function prepareSearchIndex(env: Env, release: number): Promise<void> {
  const { manifest } = await loadRelease(env, release);
  const rows = await readReleaseRows(env.DB, release);
  const input = {
    release,
    model: manifest.model.id,
    embeddingModel: manifest.embedding.model,
    dim: manifest.embedding.dim,
    rows,
  };
  await buildLocalIndex(env.BLOBS, input);
  await buildFrequentWords(env.DB, env.BLOBS, release);
  if (env.VECTOR_BACKEND === "vectorize") {
    if (!env.VECTORS) throw new Error("VECTOR_BACKEND is vectorize but the VECTORS binding is missing");
    await upsertReleaseToVectorize(env.VECTORS, env.BLOBS, input);
  }
}
