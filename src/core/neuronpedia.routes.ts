// Neuronpedia-compatible reads, so tools written against Neuronpedia's API
// (its Python client included) work unchanged: the same paths and field
// names (`layer` is the source id, `index` a string, `description` the
// explanation text, `frac_nonzero` the density, `pos_str`/`pos_values` the
// top logits).
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { markReleaseData } from "../middleware/release-cache";
import { createRouter } from "../router";
import { activeModelsById, type ActiveModel } from "./active-release";
import { type LatentDetail, type LatentKey, loadActiveLatent, loadLatents } from "./latent-detail";
import { errors, IndexParam, json, ModelIdParam, SaeIdParam } from "./schemas";

const NpExplanation = z.object({
  id: z.string(),
  modelId: z.string(),
  layer: z.string(),
  source: z.string(),
  index: z.string(),
  description: z.string(),
  explanationModelName: z.string(),
  typeName: z.string(),
  scores: z.array(z.object({ scorer: z.string(), value: z.number(), n: z.number() })),
});

const NpActivation = z.object({
  id: z.string(),
  modelId: z.string(),
  layer: z.string(),
  source: z.string(),
  index: z.string(),
  tokens: z.array(z.string()),
  values: z.array(z.number()),
  maxValue: z.number(),
  maxValueTokenIndex: z.number().int(),
  minValue: z.number(),
  binMin: z.number(),
  binMax: z.number(),
  binContains: z.number(),
});

export const NpFeatureSchema = z
  .object({
    modelId: z.string(),
    layer: z.string(),
    index: z.string(),
    sourceSetName: z.string(),
    creatorId: z.string().nullable(),
    createdAt: z.string().nullable(),
    maxActApprox: z.number(),
    frac_nonzero: z.number(),
    hasVector: z.boolean(),
    hookName: z.string().nullable(),
    pos_str: z.array(z.string()),
    pos_values: z.array(z.number()),
    neg_str: z.array(z.string()),
    neg_values: z.array(z.number()),
    topkCosSimIndices: z.array(z.number().int()),
    topkCosSimValues: z.array(z.number()),
    explanations: z.array(NpExplanation),
    activations: z.array(NpActivation),
  })
  .openapi("NeuronpediaFeature");

const getFeature = createRoute({
  method: "get",
  path: "/api/feature/{modelId}/{source}/{index}",
  tags: ["Neuronpedia-compatible"],
  summary: "A feature in Neuronpedia's shape",
  request: {
    params: z.object({
      modelId: ModelIdParam.openapi({ param: { name: "modelId", in: "path" } }),
      source: SaeIdParam.openapi({ param: { name: "source", in: "path" } }),
      index: IndexParam,
    }),
  },
  responses: { 200: json(NpFeatureSchema, "The feature"), ...errors(400, 401, 404, 429) },
});

const FeatureRef = z
  .object({
    modelId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "modelId is not a valid model id"),
    layer: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "layer is not a valid source id"),
    index: z.union([z.number().int().min(0), z.string().regex(/^\d{1,10}$/, "index must be a non-negative integer")]),
    maxActsToReturn: z.number().int().min(0).max(1000).optional(),
  })
  .openapi("NeuronpediaFeatureRef");

const getFeatures = createRoute({
  method: "post",
  path: "/api/features",
  tags: ["Neuronpedia-compatible"],
  summary: "Many features in Neuronpedia's shape (features that do not exist are left out)",
  request: {
    body: {
      content: { "application/json": { schema: z.array(FeatureRef).min(1).max(100, "at most 100 features per request") } },
      required: true,
    },
  },
  responses: { 200: json(z.array(NpFeatureSchema), "The features, in request order"), ...errors(400, 401, 413, 429) },
});

function sourceSetName(source: string): string {
  return source.replace(/^\d+-/, "");
}

function toNeuronpedia(m: ActiveModel, d: LatentDetail, maxActs: number): z.infer<typeof NpFeatureSchema> {
  const index = String(d.index);
  const ids = { modelId: d.model, layer: d.sae, source: d.sae, index };
  const decoding = d.decodings.find((x) => x.direction === "decoder") ?? d.decodings.find((x) => x.direction === "write") ?? d.decodings[0];
  const cosine = d.matches.filter((x) => x.method === "decoder_cosine");
  return {
    modelId: d.model,
    layer: d.sae,
    index,
    sourceSetName: sourceSetName(d.sae),
    creatorId: null,
    createdAt: m.activatedAt,
    maxActApprox: d.maxActivation ?? Math.max(0, ...d.examples.map((e) => e.maxActivation)),
    frac_nonzero: d.density ?? 0,
    hasVector: false,
    hookName: null,
    pos_str: decoding?.top.map((t) => t.token ?? `<${t.id}>`) ?? [],
    pos_values: decoding?.top.map((t) => t.value) ?? [],
    neg_str: decoding?.bottom.map((t) => t.token ?? `<${t.id}>`) ?? [],
    neg_values: decoding?.bottom.map((t) => t.value) ?? [],
    topkCosSimIndices: cosine.map((x) => x.index),
    topkCosSimValues: cosine.map((x) => x.score),
    explanations: d.explanations.map((e) => ({
      id: `${d.release}-${e.id}`,
      ...ids,
      description: e.text,
      explanationModelName: e.explainer,
      typeName: e.method,
      scores: e.scores.map((s) => ({ scorer: s.scorer, value: s.value, n: s.n })),
    })),
    activations: d.examples.slice(0, maxActs).map((e) => {
      const peak = e.activations.indexOf(Math.max(...e.activations));
      return {
        id: `${d.release}-${d.sae}-${index}-${e.kind}-${e.quantile ?? 0}-${e.rank}`,
        ...ids,
        tokens: e.tokens,
        values: e.activations,
        maxValue: e.maxActivation,
        maxValueTokenIndex: Math.max(0, peak),
        minValue: Math.min(...e.activations),
        binMin: e.kind === "quantile" ? (e.quantile ?? -1) : -1,
        binMax: e.kind === "quantile" ? (e.quantile ?? -1) : -1,
        binContains: -1,
      };
    }),
  };
}

/** Names the parts of an answer (e.g. `examples`) whose stored data could not be read. */
export const UNAVAILABLE_HEADER = "X-Atlas-Unavailable";

export const neuronpediaRoutes = () =>
  createRouter()
    .openapi(getFeature, async (c) => {
      const { modelId, source, index } = c.req.valid("param");
      const { model: m, result } = await loadActiveLatent(c.env, modelId, source, index);
      if (!result.ok) throw new ApiError("NOT_FOUND", result.error);
      markReleaseData(c, [m.release]);
      // Neuronpedia's body has no place to say a part is missing, so a header
      // tells clients that empty activations mean "unavailable", not "none".
      if (result.detail.unavailable?.length) c.header(UNAVAILABLE_HEADER, result.detail.unavailable.join(","));
      return c.json(toNeuronpedia(m, result.detail, 1000), 200);
    })
    .openapi(getFeatures, async (c) => {
      const refs = c.req.valid("json");
      const models = await activeModelsById(c.env, [...new Set(refs.map((r) => r.modelId))]);
      const known = refs.filter((r) => models.has(r.modelId));
      const keys: LatentKey[] = known.map((r) => ({ model: r.modelId, release: models.get(r.modelId)!.release, sae: r.layer, index: Number(r.index) }));
      const loaded = await loadLatents(c.env, keys, true);
      // Neuronpedia reads maxActsToReturn from the first feature; a feature's own value wins here.
      const defaultMax = refs[0]?.maxActsToReturn ?? 1000;
      const unavailable = [...new Set(loaded.flatMap((r) => (r.ok ? (r.detail.unavailable ?? []) : [])))];
      if (unavailable.length) c.header(UNAVAILABLE_HEADER, unavailable.join(","));
      const features = loaded.flatMap((r, i) =>
        r.ok ? [toNeuronpedia(models.get(r.detail.model)!, r.detail, known[i]!.maxActsToReturn ?? defaultMax)] : [],
      );
      return c.json(features, 200);
    });
