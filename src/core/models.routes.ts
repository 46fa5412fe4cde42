// Models and their SAEs, read from each model's active release.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { markReleaseData } from "../middleware/release-cache";
import { createRouter } from "../router";
import { activeModel, activeModels, releaseInfo, type ActiveModel } from "./active-release";
import { errors, json, ModelIdParam, ModelSchema, SaeDetailSchema, SaeIdParam, SaeSchema } from "./schemas";

const READ_ERRORS = errors(400, 401, 404, 429);

interface SaeRow {
  id: string;
  model_id: string;
  hookpoint: string;
  layer: number;
  site: string;
  kind: string;
  architecture: string;
  width: number;
  k: number | null;
  d_in: number | null;
  stats: string;
}

const toSae = (r: SaeRow) => ({
  id: r.id,
  model: r.model_id,
  hookpoint: r.hookpoint,
  layer: r.layer,
  site: r.site,
  kind: r.kind,
  architecture: r.architecture,
  width: r.width,
  k: r.k,
  dIn: r.d_in,
  stats: JSON.parse(r.stats) as Record<string, number>,
});

const toModel = (m: ActiveModel, saeCount: number) => ({
  id: m.id,
  displayName: m.displayName,
  architecture: m.architecture,
  nLayers: m.nLayers,
  dModel: m.dModel,
  dMlp: m.dMlp,
  vocabSize: m.vocabSize,
  saeCount,
  release: releaseInfo(m),
});

const listModels = createRoute({
  method: "get",
  path: "/v1/models",
  tags: ["Models"],
  summary: "Models with a live release",
  responses: { 200: json(z.object({ models: z.array(ModelSchema) }), "Every model that serves a release"), ...errors(400, 401, 429) },
});

const getModel = createRoute({
  method: "get",
  path: "/v1/models/{model}",
  tags: ["Models"],
  summary: "One model and its live release",
  request: { params: z.object({ model: ModelIdParam }) },
  responses: { 200: json(ModelSchema, "The model"), ...READ_ERRORS },
});

const listSaes = createRoute({
  method: "get",
  path: "/v1/models/{model}/saes",
  tags: ["Models"],
  summary: "SAEs and neuron sets of a model, by layer",
  request: { params: z.object({ model: ModelIdParam }) },
  responses: { 200: json(z.object({ model: z.string(), release: z.number().int(), saes: z.array(SaeSchema) }), "The SAEs"), ...READ_ERRORS },
});

const getSae = createRoute({
  method: "get",
  path: "/v1/models/{model}/saes/{sae}",
  tags: ["Models"],
  summary: "One SAE with its training statistics and coverage",
  request: { params: z.object({ model: ModelIdParam, sae: SaeIdParam }) },
  responses: { 200: json(SaeDetailSchema, "The SAE"), ...READ_ERRORS },
});

export const modelRoutes = () =>
  createRouter()
    .openapi(listModels, async (c) => {
      const models = await activeModels(c.env);
      const counts = models.length
        ? await c.env.DB.batch<{ n: number }>(models.map((m) => c.env.DB.prepare("SELECT count(*) AS n FROM saes WHERE release = ?").bind(m.release)))
        : [];
      markReleaseData(c, models.map((m) => m.release));
      return c.json({ models: models.map((m, i) => toModel(m, counts[i]!.results[0]!.n)) }, 200);
    })
    .openapi(getModel, async (c) => {
      const m = await activeModel(c.env, c.req.valid("param").model);
      const count = await c.env.DB.prepare("SELECT count(*) AS n FROM saes WHERE release = ?").bind(m.release).first<{ n: number }>();
      markReleaseData(c, [m.release]);
      return c.json(toModel(m, count?.n ?? 0), 200);
    })
    .openapi(listSaes, async (c) => {
      const m = await activeModel(c.env, c.req.valid("param").model);
      const { results } = await c.env.DB.prepare("SELECT * FROM saes WHERE release = ? ORDER BY layer, id").bind(m.release).all<SaeRow>();
      markReleaseData(c, [m.release]);
      return c.json({ model: m.id, release: m.release, saes: results.map(toSae) }, 200);
    })
    .openapi(getSae, async (c) => {
      const { model, sae } = c.req.valid("param");
      const m = await activeModel(c.env, model);
      const [saeRows, stats, explained] = await c.env.DB.batch<Record<string, number> & SaeRow>([
        c.env.DB.prepare("SELECT * FROM saes WHERE release = ? AND id = ?").bind(m.release, sae),
        c.env.DB.prepare("SELECT count(*) AS n FROM latents WHERE release = ? AND sae = ?").bind(m.release, sae),
        c.env.DB.prepare("SELECT count(DISTINCT idx) AS latents, count(*) AS n FROM explanations WHERE release = ? AND sae = ?").bind(m.release, sae),
      ]);
      const row = saeRows!.results[0];
      if (!row) throw new ApiError("NOT_FOUND", `no SAE ${sae} in model ${model}`);
      markReleaseData(c, [m.release]);
      return c.json(
        {
          ...toSae(row),
          latentsWithStats: stats!.results[0]!.n as number,
          explainedLatents: explained!.results[0]!.latents as number,
          explanations: explained!.results[0]!.n as number,
        },
        200,
      );
    });
