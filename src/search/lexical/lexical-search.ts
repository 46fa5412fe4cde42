// BM25 over one release's explanations with D1's FTS5. The FTS rowid of an
// explanation is release * 2^32 + id (ingest writes it so), so a rowid range
// selects one release without a join column.
import type { VectorFilter } from "../vectors/vector-index";
import { ftsMatchExpression } from "./fts-query";

export interface LexicalHit {
  release: number;
  explanation: number;
  sae: string;
  layer: number;
  index: number;
  /** BM25 as FTS5 computes it, sign flipped so that higher is better. */
  bm25: number;
}

const RELEASE_SPAN = 2 ** 32;

export async function lexicalSearch(
  db: D1Database,
  release: number,
  text: string,
  limit: number,
  filter: Pick<VectorFilter, "saes" | "layers">,
  frequent?: ReadonlySet<string>,
): Promise<LexicalHit[]> {
  const match = ftsMatchExpression(text, frequent);
  if (!match) return [];
  const base = release * RELEASE_SPAN;
  const binds: (string | number)[] = [match, release, base, base + RELEASE_SPAN - 1];
  let where = "";
  if (filter.saes?.length) {
    where += ` AND e.sae IN (${filter.saes.map(() => "?").join(",")})`;
    binds.push(...filter.saes);
  }
  if (filter.layers?.length) {
    where += ` AND s.layer IN (${filter.layers.map(() => "?").join(",")})`;
    binds.push(...filter.layers);
  }
  binds.push(limit);
  // Unfiltered, FTS5 ranks on its own and stops at the limit before any join;
  // filtered, the join must come first so that the limit counts matching rows.
  // CROSS JOIN pins FTS5 as the outer loop: left to itself, SQLite's planner
  // chose to walk every explanation of the release and rerun the match for
  // each (17 s instead of 1 ms on the 16k demo set).
  const sql = where ? filteredSql(where) : UNFILTERED_SQL;
  const { results } = await db
    .prepare(sql)
    .bind(...binds)
    .all<{ explanation: number; sae: string; idx: number; layer: number; bm25: number }>();
  return results.map((r) => ({ release, explanation: r.explanation, sae: r.sae, layer: r.layer, index: r.idx, bm25: r.bm25 }));
}

const UNFILTERED_SQL = `SELECT e.id AS explanation, e.sae AS sae, e.idx AS idx, s.layer AS layer, f.score AS bm25
  FROM (SELECT rowid AS rid, -rank AS score FROM explanations_fts
        WHERE explanations_fts MATCH ?1 AND rowid BETWEEN ?3 AND ?4 ORDER BY rank LIMIT ?5) f
  CROSS JOIN explanations e ON e.release = ?2 AND e.id = f.rid - ?3
  CROSS JOIN saes s ON s.release = ?2 AND s.id = e.sae
  ORDER BY f.score DESC`;

function filteredSql(where: string): string {
  return `SELECT e.id AS explanation, e.sae AS sae, e.idx AS idx, s.layer AS layer, -bm25(explanations_fts) AS bm25
    FROM explanations_fts
    CROSS JOIN explanations e ON e.release = ?2 AND e.id = explanations_fts.rowid - ?3
    CROSS JOIN saes s ON s.release = ?2 AND s.id = e.sae
    WHERE explanations_fts MATCH ?1 AND explanations_fts.rowid BETWEEN ?3 AND ?4${where}
    ORDER BY bm25(explanations_fts) LIMIT ?`;
}
