// Called by ingest after every row of a release is stored and before the
// release is switched live: builds whatever the search backends need
// (the in-isolate index file in R2, or Vectorize upserts).
import type { Env } from "../env";

export async function prepareSearchIndex(_env: Env, _release: number): Promise<void> {
  // Filled in by the search module.
}
