// User text never reaches FTS5 as syntax: it is cut into words (letters and
// digits only), each word is quoted as a string, and the words are OR'ed. So
// `NEAR(a b)`, `col:x`, `"`, `*`, `AND`, or `'; DROP TABLE` all search for
// their words, and a query with no words at all has no lexical part.

/** More words than this add little to BM25 and slow FTS5 down. */
export const MAX_QUERY_TERMS = 32;

// English function words, and the boilerplate explanations are written in
// ("phrases related to ...", "mentions of ..."): they match most rows, so
// FTS5 would score nearly every explanation for almost no ranking signal.
// Dropping them made lexical search ten times faster on the demo set and did
// not lower its quality (docs/search.md).
const STOPWORDS = new Set(
  (
    "a an and are as at be by for from in into is it its of on or such that the their these this those to via with " +
    "related references reference referring mentions mention mentioned phrases phrase words word terms term instances " +
    "instance various different contexts context usage use used specific often particularly including like especially " +
    "text token tokens occurrences occurrence expressions expression concepts concept indicating indicate"
  ).split(" "),
);

/** The distinct words of a text (letters and digits of any script, lower case), in order. */
export function textWords(text: string): string[] {
  return [...new Set(text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/**
 * The words a query searches for. `frequent` holds the words found in more
 * than a set share of the release's explanations (frequent-words.ts): like
 * stopwords they are dropped, since FTS5 would score every row they match
 * for little BM25; a query made only of such words still searches for them.
 */
export function queryTerms(text: string, frequent: ReadonlySet<string> = new Set()): string[] {
  const words = textWords(text);
  const content = words.filter((w) => !STOPWORDS.has(w));
  const informative = content.filter((w) => !frequent.has(w));
  return (informative.length ? informative : content.length ? content : words).slice(0, MAX_QUERY_TERMS);
}

/** The FTS5 MATCH expression for the text, or null when it has no words. */
export function ftsMatchExpression(text: string, frequent?: ReadonlySet<string>): string | null {
  const terms = queryTerms(text, frequent);
  return terms.length ? terms.map((t) => `"${t}"`).join(" OR ") : null;
}
