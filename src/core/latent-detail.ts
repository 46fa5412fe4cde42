// Latent detail for one or many latents in one D1 round trip (one batch of
// a few statements per latent) plus one ranged R2 read per latent for its
// examples.
import type { z } from "@hono/zod-openapi";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { type ActiveModel, activeModelStatement, toActiveModel } from "./active-release";
import type { StoredExample } from "../ingest/row-writers";
import type { LatentDetailSchema } from "./schemas";

export type LatentDetail = z.infer<typeof LatentDetailSchema>;

export interface LatentKey {
  model: string;
  release: number;
  sae: string;
  index: number;
}

/** Matches shown per method in the detail view. */
const MATCHES_PER_METHOD = 5;

const STATEMENTS = {
  sae: "SELECT layer, width FROM saes WHERE release = ?1 AND id = ?2 AND ?3 >= 0",
  stats: `SELECT density, max_activation, mean_activation, n_activations FROM latents
    WHERE release = ?1 AND sae = ?2 AND idx = ?3`,
  explanations: `SELECT e.id, e.text, e.explainer, e.method, e.prompt_version, s.scorer, s.value, s.n, s.details
    FROM explanations e LEFT JOIN scores s ON s.release = e.release AND s.explanation = e.id
    WHERE e.release = ?1 AND e.sae = ?2 AND e.idx = ?3 ORDER BY e.id, s.scorer`,
  exampleRef: "SELECT blob_key, offset, length FROM example_refs WHERE release = ?1 AND sae = ?2 AND idx = ?3",
  decodings: `SELECT d.direction, 'top' AS side, CAST(j.key AS INTEGER) AS pos, json_extract(j.value, '$[0]') AS token_id,
      json_extract(j.value, '$[1]') AS value, v.token
    FROM decodings d JOIN json_each(d.top) j
      LEFT JOIN vocab v ON v.release = d.release AND v.token_id = json_extract(j.value, '$[0]')
    WHERE d.release = ?1 AND d.sae = ?2 AND d.idx = ?3
    UNION ALL
    SELECT d.direction, 'bottom', CAST(j.key AS INTEGER), json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), v.token
    FROM decodings d JOIN json_each(d.bottom) j
      LEFT JOIN vocab v ON v.release = d.release AND v.token_id = json_extract(j.value, '$[0]')
    WHERE d.release = ?1 AND d.sae = ?2 AND d.idx = ?3
    ORDER BY 1, 2 DESC, 3`,
  matches: `SELECT m.sae_b, s.layer, m.idx_b, m.method, m.score, m.rank,
      (SELECT e.text FROM explanations e WHERE e.release = m.release AND e.sae = m.sae_b AND e.idx = m.idx_b ORDER BY e.id LIMIT 1) AS explanation
    FROM matches m LEFT JOIN saes s ON s.release = m.release AND s.id = m.sae_b
    WHERE m.release = ?1 AND m.sae_a = ?2 AND m.idx_a = ?3 AND m.rank < ${MATCHES_PER_METHOD}
    ORDER BY m.method, s.layer, m.sae_b, m.rank`,
} as const;
const PER_LATENT = Object.keys(STATEMENTS).length;

type Row = Record<string, unknown>;

export type LoadResult = { ok: true; detail: LatentDetail; exampleRef: ExampleRef | null } | { ok: false; error: string };
interface ExampleRef {
  key: string;
  offset: number;
  length: number;
}

function assemble(key: LatentKey, rows: Row[][]): LoadResult {
  const [saeRows, statRows, explanationRows, refRows, decodingRows, matchRows] = rows as [Row[], Row[], Row[], Row[], Row[], Row[]];
  const sae = saeRows[0];
  if (!sae) return { ok: false, error: `no SAE ${key.sae} in model ${key.model}` };
  if (key.index >= (sae.width as number)) {
    return { ok: false, error: `latent ${key.index} does not exist: ${key.sae} has ${sae.width as number} latents (0..${(sae.width as number) - 1})` };
  }
  const stats = statRows[0];
  const explanations = new Map<number, LatentDetail["explanations"][number]>();
  for (const r of explanationRows) {
    const id = r.id as number;
    let e = explanations.get(id);
    if (!e) {
      e = { id, text: r.text as string, explainer: r.explainer as string, method: r.method as string, promptVersion: r.prompt_version as string | null, scores: [] };
      explanations.set(id, e);
    }
    if (r.scorer !== null) {
      e.scores.push({ scorer: r.scorer as string, value: r.value as number, n: r.n as number, details: r.details ? JSON.parse(r.details as string) : null });
    }
  }
  const decodings = new Map<string, LatentDetail["decodings"][number]>();
  for (const r of decodingRows) {
    const direction = r.direction as string;
    let d = decodings.get(direction);
    if (!d) decodings.set(direction, (d = { direction, top: [], bottom: [] }));
    d[r.side === "top" ? "top" : "bottom"].push({ id: r.token_id as number, token: r.token as string | null, value: r.value as number });
  }
  const ref = refRows[0];
  return {
    ok: true,
    exampleRef: ref ? { key: ref.blob_key as string, offset: ref.offset as number, length: ref.length as number } : null,
    detail: {
      model: key.model,
      sae: key.sae,
      layer: sae.layer as number,
      index: key.index,
      release: key.release,
      density: (stats?.density as number | null) ?? null,
      maxActivation: (stats?.max_activation as number | null) ?? null,
      meanActivation: (stats?.mean_activation as number | null) ?? null,
      nActivations: (stats?.n_activations as number | null) ?? null,
      explanations: [...explanations.values()],
      examples: [],
      decodings: [...decodings.values()],
      matches: matchRows.map((m) => ({
        sae: m.sae_b as string,
        layer: m.layer as number | null,
        index: m.idx_b as number,
        method: m.method as string,
        score: m.score as number,
        rank: m.rank as number,
        explanation: m.explanation as string | null,
      })),
      unavailable: [],
    },
  };
}

async function attachExamples(bucket: R2Bucket, result: LoadResult): Promise<void> {
  if (!result.ok || !result.exampleRef) return;
  const { key, offset, length } = result.exampleRef;
  try {
    const object = await bucket.get(key, { range: { offset, length } });
    if (!object) throw new Error(`missing ${key}`);
    result.detail.examples = JSON.parse(await object.text()) as StoredExample[];
  } catch (err) {
    // One missing blob degrades one part of one answer, not the whole request.
    console.error(JSON.stringify({ warning: "examples unavailable", key, error: String(err) }));
    result.detail.unavailable.push("examples");
  }
}

export async function loadLatents(env: Env, keys: LatentKey[], withExamples: boolean): Promise<LoadResult[]> {
  if (!keys.length) return [];
  const statements = keys.flatMap((k) =>
    Object.values(STATEMENTS).map((sql) => env.DB.prepare(sql).bind(k.release, k.sae, k.index)),
  );
  const results = await env.DB.batch<Row>(statements);
  const loaded = keys.map((k, i) => assemble(k, results.slice(i * PER_LATENT, (i + 1) * PER_LATENT).map((r) => r.results)));
  if (withExamples) await Promise.all(loaded.map((r) => attachExamples(env.BLOBS, r)));
  return loaded;
}

/** The same statements, reading the release from the model row inside the batch. */
const BY_MODEL = Object.values(STATEMENTS).map((sql) => sql.replaceAll("?1", "(SELECT active_release FROM models WHERE id = ?1)"));

/**
 * One latent of a model's active release in a single D1 round trip: the
 * model lookup and the latent's statements share one batch, which D1 runs as
 * one transaction, so they cannot straddle a release switch.
 */
export async function loadActiveLatent(
  env: Env,
  model: string,
  sae: string,
  index: number,
): Promise<{ model: ActiveModel; result: LoadResult }> {
  const results = await env.DB.batch<Row>([
    activeModelStatement(env, model),
    ...BY_MODEL.map((sql) => env.DB.prepare(sql).bind(model, sae, index)),
  ]);
  const active = toActiveModel(results[0]!.results[0] as never);
  if (!active) throw new ApiError("NOT_FOUND", `no model ${model} with a live release`);
  const result = assemble({ model, release: active.release, sae, index }, results.slice(1).map((r) => r.results));
  await attachExamples(env.BLOBS, result);
  return { model: active, result };
}
