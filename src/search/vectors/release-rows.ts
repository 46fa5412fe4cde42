// What the index stores per row, read from D1: each explanation's SAE and
// latent index (row = explanation id), and each SAE's layer.
const PAGE = 20_000;

export interface ReleaseRows {
  saes: { id: string; layer: number }[];
  saeOrdinals: Uint16Array;
  latentIndices: Uint32Array;
}

export async function readReleaseRows(db: D1Database, release: number): Promise<ReleaseRows> {
  const { results: saes } = await db
    .prepare("SELECT id, layer FROM saes WHERE release = ? ORDER BY id")
    .bind(release)
    .all<{ id: string; layer: number }>();
  if (saes.length > 65_535) throw new Error(`release ${release} has ${saes.length} SAEs; the index holds at most 65535`);
  const ordinal = new Map(saes.map((s, i) => [s.id, i]));
  const count = await db.prepare("SELECT count(*) AS n FROM explanations WHERE release = ?").bind(release).first<{ n: number }>();
  const rows = count?.n ?? 0;
  const saeOrdinals = new Uint16Array(rows);
  const latentIndices = new Uint32Array(rows);
  for (let from = 0; from < rows; from += PAGE) {
    const { results } = await db
      .prepare("SELECT id, sae, idx FROM explanations WHERE release = ? AND id >= ? AND id < ? ORDER BY id")
      .bind(release, from, from + PAGE)
      .all<{ id: number; sae: string; idx: number }>();
    for (const r of results) {
      const o = ordinal.get(r.sae);
      if (o === undefined || r.id >= rows) throw new Error(`explanation ${r.id} of release ${release} names unknown SAE ${r.sae}`);
      saeOrdinals[r.id] = o;
      latentIndices[r.id] = r.idx;
    }
  }
  return { saes, saeOrdinals, latentIndices };
}
