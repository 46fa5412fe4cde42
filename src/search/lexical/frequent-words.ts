// The words of a release that appear in more than FREQUENT_SHARE of its
// explanations ("code", "data", "programming" in the demo, besides
// boilerplate). FTS5 computes BM25 for every row an OR'ed word matches, so
// such words cost the most and, with their low IDF, move the ranking least: on
// the dev queries, dropping words above 5% left lexical quality nearly as it
// was (recall@10 0.201 -> 0.197, MRR 0.114 -> 0.114), raised hybrid's
// (0.252 -> 0.258, 0.160 -> 0.162) and cut FTS5 time by a third at 250k rows
// (docs/search.md). A 2% cut would also drop topical words ("legal",
// "medical"), so it is not used.
// Built at ingest from the release's texts, kept in R2, cached per isolate.
import { IsolateCache } from "../../isolate-cache";
import { textWords } from "./fts-query";

export const FREQUENT_SHARE = 0.05;
/** Smaller releases keep every word: a few rows make shares meaningless. */
export const FREQUENT_MIN_ROWS = 1000;
const PAGE = 20_000;
const MAX_CACHED = 8;

export const frequentWordsKey = (release: number) => `releases/${release}/search/frequent-words.json`;

interface FrequentWordsFile {
  rows: number;
  share: number;
  words: string[];
}

/** In how many texts each word appears, counted text by text (ingest streams the texts). */
class WordCounts {
  private readonly counts = new Map<string, number>();
  rows = 0;

  add(text: string): void {
    this.rows++;
    for (const w of textWords(text)) this.counts.set(w, (this.counts.get(w) ?? 0) + 1);
  }

  /** Words in more than `share` of the texts (none when there are fewer than FREQUENT_MIN_ROWS texts). */
  frequent(share: number): string[] {
    if (this.rows < FREQUENT_MIN_ROWS) return [];
    return [...this.counts].filter(([, n]) => n > share * this.rows).map(([w]) => w).sort();
  }
}

/** Words in more than `share` of the texts (none when there are fewer than FREQUENT_MIN_ROWS texts). */
export function frequentWordsOf(texts: Iterable<string>, share = FREQUENT_SHARE): { rows: number; words: string[] } {
  const counts = new WordCounts();
  for (const text of texts) counts.add(text);
  return { rows: counts.rows, words: counts.frequent(share) };
}

async function* releaseTexts(db: D1Database, release: number): AsyncGenerator<string> {
  for (let from = 0; ; from += PAGE) {
    const { results } = await db
      .prepare("SELECT text FROM explanations WHERE release = ? AND id >= ? AND id < ? ORDER BY id")
      .bind(release, from, from + PAGE)
      .all<{ text: string }>();
    if (!results.length) return;
    for (const r of results) yield r.text;
  }
}

/** Counts the release's words in D1 and writes the frequent ones to R2. */
export async function buildFrequentWords(db: D1Database, bucket: R2Bucket, release: number): Promise<string[]> {
  const counts = new WordCounts();
  for await (const text of releaseTexts(db, release)) counts.add(text);
  const words = counts.frequent(FREQUENT_SHARE);
  const file: FrequentWordsFile = { rows: counts.rows, share: FREQUENT_SHARE, words };
  await bucket.put(frequentWordsKey(release), JSON.stringify(file), { httpMetadata: { contentType: "application/json" } });
  return words;
}

const cache = new IsolateCache<number, ReadonlySet<string>>(MAX_CACHED);

/** The release's frequent words; empty for a release ingested before they were kept. */
export function frequentWords(bucket: R2Bucket, release: number): Promise<ReadonlySet<string>> {
  return cache.get(release, async () => {
    const object = await bucket.get(frequentWordsKey(release));
    return new Set(object ? (JSON.parse(await object.text()) as FrequentWordsFile).words : []);
  });
}
