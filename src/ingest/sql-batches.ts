// Multi-row INSERT statements that respect D1's limit of 100 bound
// parameters per statement. Conflicts on the natural key replace the old
// row, so a retried part never leaves a duplicate.
export const D1_MAX_PARAMS = 100;

export function insertStatements(
  db: D1Database,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): D1PreparedStatement[] {
  const perStatement = Math.max(1, Math.floor(D1_MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const sql = `INSERT OR REPLACE INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`;
    statements.push(db.prepare(sql).bind(...chunk.flat()));
  }
  return statements;
}

/** FTS rowid of an explanation: release in the high 32 bits, explanation id in the low 32. */
export function ftsRowId(release: number, explanationId: number): number {
  return release * 2 ** 32 + explanationId;
}
