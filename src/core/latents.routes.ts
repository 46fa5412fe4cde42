// Latents: paged listing of an SAE, full detail of one latent, and batch
// detail of many latents in one call.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { markReleaseData } from "../middleware/release-cache";
import { createRouter } from "../router";
import { activeModel, activeModelsById } from "./active-release";
import { decodeCursor, encodeCursor } from "./cursor";
import { type LatentKey, loadActiveLatent, loadLatents } from "./latent-detail";
import {
  BatchRequestSchema,
  BatchResponseSchema,
  errors,
  IndexParam,
  json,
  LatentDetailSchema,
  LatentPageSchema,
  ModelIdParam,
  SaeIdParam,
} from "./schemas";

export const MAX_PAGE = 500;

const listLatents = createRoute({
  method: "get",
  path: "/v1/models/{model}/saes/{sae}/latents",
  tags: ["Latents"],
  summary: "Latents of an SAE in index order, with their first explanation",
  description: `Cursor pagination: pass \`nextCursor\` back as \`cursor\`. \`limit\` is 1..${MAX_PAGE} (default 100).`,
  request: {
    params: z.object({ model: ModelIdParam, sae: SaeIdParam }),
    query: z.object({
      cursor: z.string().max(200, "cursor is too long").optional(),
      limit: z.coerce
        .number({ error: "limit must be an integer" })
        .int("limit must be an integer")
        .min(1, "limit must be >= 1")
        .max(MAX_PAGE, `limit must be <= ${MAX_PAGE}`)
        .default(100)
        .openapi({ type: "integer", minimum: 1, maximum: MAX_PAGE, default: 100, example: 100 }),
    }),
  },
  responses: { 200: json(LatentPageSchema, "One page of latents"), ...errors(400, 401, 404, 429) },
});

const getLatent = createRoute({
  method: "get",
  path: "/v1/latents/{model}/{sae}/{index}",
  tags: ["Latents"],
  summary: "Everything about one latent in one call",
  description: "Explanations with their scores, activation statistics, top examples, LM-head decodings (top logits) and best matches in other SAEs.",
  request: { params: z.object({ model: ModelIdParam, sae: SaeIdParam, index: IndexParam }) },
  responses: { 200: json(LatentDetailSchema, "The latent"), ...errors(400, 401, 404, 429) },
});

const batchLatents = createRoute({
  method: "post",
  path: "/v1/latents/batch",
  tags: ["Latents"],
  summary: "Detail of up to 100 latents in one call",
  description: "Each result holds the latent or, for one that does not exist, an error; order follows the request.",
  request: { body: { content: { "application/json": { schema: BatchRequestSchema } }, required: true } },
  responses: { 200: json(BatchResponseSchema, "One result per requested latent"), ...errors(400, 401, 413, 429) },
});

const isCursor = (v: Record<string, unknown>): v is { after: number } => Number.isInteger(v.after) && (v.after as number) >= -1;

export const latentRoutes = () =>
  createRouter()
    .openapi(listLatents, async (c) => {
      const { model, sae } = c.req.valid("param");
      const { cursor, limit } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, isCursor).after : -1;
      const m = await activeModel(c.env, model);
      const [saeRows, page] = await c.env.DB.batch<Record<string, unknown>>([
        c.env.DB.prepare("SELECT width FROM saes WHERE release = ? AND id = ?").bind(m.release, sae),
        c.env.DB.prepare(
          `SELECT x.idx, l.density, l.max_activation,
             (SELECT e.text FROM explanations e WHERE e.release = ?1 AND e.sae = ?2 AND e.idx = x.idx ORDER BY e.id LIMIT 1) AS explanation
           FROM (SELECT idx FROM latents WHERE release = ?1 AND sae = ?2 AND idx > ?3
                 UNION SELECT idx FROM explanations WHERE release = ?1 AND sae = ?2 AND idx > ?3
                 ORDER BY idx LIMIT ?4) x
           LEFT JOIN latents l ON l.release = ?1 AND l.sae = ?2 AND l.idx = x.idx
           ORDER BY x.idx`,
        ).bind(m.release, sae, after, limit + 1),
      ]);
      if (!saeRows!.results.length) throw new ApiError("NOT_FOUND", `no SAE ${sae} in model ${model}`);
      const rows = page!.results;
      const more = rows.length > limit;
      const latents = rows.slice(0, limit).map((r) => ({
        index: r.idx as number,
        density: r.density as number | null,
        maxActivation: r.max_activation as number | null,
        explanation: r.explanation as string | null,
      }));
      markReleaseData(c, [m.release]);
      return c.json(
        { model, sae, release: m.release, latents, nextCursor: more ? encodeCursor({ after: latents[latents.length - 1]!.index }) : null },
        200,
      );
    })
    .openapi(getLatent, async (c) => {
      const { model, sae, index } = c.req.valid("param");
      const { model: m, result } = await loadActiveLatent(c.env, model, sae, index);
      if (!result.ok) throw new ApiError("NOT_FOUND", result.error);
      markReleaseData(c, [m.release]);
      return c.json(result.detail, 200);
    })
    .openapi(batchLatents, async (c) => {
      const body = c.req.valid("json");
      const models = await activeModelsById(c.env, [...new Set(body.latents.map((l) => l.model))]);
      const keys: (LatentKey | null)[] = body.latents.map((l) => {
        const m = models.get(l.model);
        return m ? { model: l.model, release: m.release, sae: l.sae, index: l.index } : null;
      });
      const loaded = await loadLatents(c.env, keys.filter((k): k is LatentKey => k !== null), body.examples ?? false);
      let next = 0;
      const results = body.latents.map((ref, i) => {
        if (!keys[i]) return { ref, latent: null, error: `no model ${ref.model} with a live release` };
        const r = loaded[next++]!;
        return r.ok ? { ref, latent: r.detail, error: null } : { ref, latent: null, error: r.error };
      });
      return c.json({ results }, 200);
    });
