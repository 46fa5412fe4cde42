// Summaries of the one-to-one (Hungarian) matching between two SAEs, and the
// layer x layer matrix read from them.
import type { Env } from "../env";
import { ApiError } from "../errors";
import type { ModelScope, SaeInfo } from "./release";
import { listSaes } from "./release";

export type PairMethod = "decoder_cosine" | "explanation_cosine";
export type PairMeasure = "matchedFraction" | "meanMatchedScore" | "medianMatchedScore";

export interface PairSummary {
  saeA: string;
  saeB: string;
  method: string;
  nA: number;
  nB: number;
  threshold: number;
  matchedFraction: number;
  meanMatchedScore: number;
  medianMatchedScore: number;
  histogram: { edges: number[]; counts: number[] };
  /** True when the batch stored only B -> A and this is that row read the other way round. */
  reversed: boolean;
}

interface PairRow {
  sae_a: string;
  sae_b: string;
  method: string;
  n_a: number;
  n_b: number;
  threshold: number;
  matched_fraction: number;
  mean_matched_score: number;
  median_matched_score: number;
  histogram: string;
}

const PAIR_SQL = `SELECT sae_a, sae_b, method, n_a, n_b, threshold, matched_fraction, mean_matched_score,
  median_matched_score, histogram FROM sae_pairs WHERE release = ?1`;

function toSummary(r: PairRow, reversed: boolean): PairSummary {
  return {
    saeA: reversed ? r.sae_b : r.sae_a,
    saeB: reversed ? r.sae_a : r.sae_b,
    method: r.method,
    nA: reversed ? r.n_b : r.n_a,
    nB: reversed ? r.n_a : r.n_b,
    threshold: r.threshold,
    // A one-to-one assignment pairs min(nA, nB) latents; read backwards, the
    // fraction is of B's latents, so rescale it to stay "of A's latents".
    matchedFraction: reversed && r.n_b > 0 ? (r.matched_fraction * r.n_a) / r.n_b : r.matched_fraction,
    meanMatchedScore: r.mean_matched_score,
    medianMatchedScore: r.median_matched_score,
    histogram: JSON.parse(r.histogram) as PairSummary["histogram"],
    reversed,
  };
}

/** Summaries of A vs B, one per method stored (or the one asked for). */
export async function pairSummaries(env: Env, scope: ModelScope, a: SaeInfo, b: SaeInfo, method?: string): Promise<PairSummary[]> {
  if (a.id === b.id) throw new ApiError("BAD_REQUEST", "compare two different SAEs");
  const { results } = await env.DB.prepare(
    `${PAIR_SQL} AND ((sae_a = ?2 AND sae_b = ?3) OR (sae_a = ?3 AND sae_b = ?2)) AND (?4 IS NULL OR method = ?4) ORDER BY method`,
  )
    .bind(scope.release, a.id, b.id, method ?? null)
    .all<PairRow>();
  const byMethod = new Map<string, PairSummary>();
  for (const r of results) {
    const reversed = r.sae_a !== a.id;
    const existing = byMethod.get(r.method);
    if (!existing || (existing.reversed && !reversed)) byMethod.set(r.method, toSummary(r, reversed));
  }
  if (byMethod.size === 0) {
    const which = method ? ` under ${method}` : "";
    throw new ApiError("NOT_FOUND", `no comparison of ${a.id} and ${b.id}${which} in this release; try the live matches route for explanation-based matches`);
  }
  return [...byMethod.values()];
}

export interface SimilarityMatrix {
  method: PairMethod;
  measure: PairMeasure;
  saes: { id: string; layer: number; site: string; kind: string; width: number }[];
  /** values[i][j]: measure of saes[i] against saes[j]; 1 on the diagonal; null where the batch compared neither way. */
  values: (number | null)[][];
}

const MEASURE_COLUMN: Record<PairMeasure, keyof PairSummary> = {
  matchedFraction: "matchedFraction",
  meanMatchedScore: "meanMatchedScore",
  medianMatchedScore: "medianMatchedScore",
};

export async function similarityMatrix(
  env: Env,
  scope: ModelScope,
  method: PairMethod,
  measure: PairMeasure,
  site?: string,
): Promise<SimilarityMatrix> {
  const { results } = await env.DB.prepare(`${PAIR_SQL} AND method = ?2`).bind(scope.release, method).all<PairRow>();
  const compared = new Set(results.flatMap((r) => [r.sae_a, r.sae_b]));
  const saes = (await listSaes(env, scope)).filter((s) => compared.has(s.id) && (site === undefined || s.site === site));
  if (saes.length === 0) {
    const where = site ? ` at site ${site}` : "";
    throw new ApiError("NOT_FOUND", `model ${scope.modelId} has no SAE comparisons under ${method}${where}`);
  }
  const position = new Map(saes.map((s, i) => [s.id, i]));
  const values: (number | null)[][] = saes.map((_, i) => saes.map((_, j) => (i === j ? 1 : null)));
  const direct = new Set<string>();
  const column = MEASURE_COLUMN[measure];
  // Rows stored in the asked orientation win over a reverse reading of the other one.
  for (const reversed of [false, true]) {
    for (const r of results) {
      const s = toSummary(r, reversed);
      const i = position.get(s.saeA);
      const j = position.get(s.saeB);
      if (i === undefined || j === undefined) continue;
      const key = `${i},${j}`;
      if (reversed && direct.has(key)) continue;
      if (!reversed) direct.add(key);
      values[i]![j] = s[column] as number;
    }
  }
  return {
    method,
    measure,
    saes: saes.map(({ id, layer, site, kind, width }) => ({ id, layer, site, kind, width })),
    values,
  };
}
