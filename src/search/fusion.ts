// Hybrid ranking: weighted score fusion of cosine and BM25 over the union of
// both candidate lists. Every candidate gets its cosine (read from the
// vector index), and BM25 where FTS5 matched it (0 otherwise), so the fused
// score is cosine + LEXICAL_WEIGHT * bm25. The weight was tuned on the
// development queries only (bench/search-quality.ts prints the sweep);
// reciprocal-rank fusion scored lower there (docs/search.md).

export const LEXICAL_WEIGHT = 0.01;
/** Each of hybrid's two candidate lists is at least this long, whatever the page. */
export const HYBRID_CANDIDATES = 100;
/** The k of reciprocal-rank fusion, kept for comparison in the bench. */
export const RRF_K = 60;

export interface FusionInput {
  key: string;
  cosine: number | null;
  bm25: number | null;
}

export function fusedScore(cosine: number | null, bm25: number | null, weight = LEXICAL_WEIGHT): number {
  return (cosine ?? 0) + weight * (bm25 ?? 0);
}

/** Reciprocal-rank fusion of ranked key lists (best first). */
export function reciprocalRankFusion(lists: string[][], k = RRF_K): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((key, rank) => scores.set(key, (scores.get(key) ?? 0) + 1 / (k + rank + 1)));
  }
  return scores;
}
