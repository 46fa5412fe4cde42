// Neuronpedia-compatible explanation search: the request and response fields
// of Neuronpedia's /api/explanation/search{,-model,-all}, so its tools work
// unchanged. Like Neuronpedia: semantic ranking, one row per explanation,
// pages of 20 by offset.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { MODEL_ID, SAE_ID } from "../bundle/manifest";
import { errors, json } from "../core/schemas";
import type { AppEnv } from "../env";
import { createRouter } from "../router";
import { MAX_DEPTH, QueryText } from "./schemas";
import { search, type SearchHit } from "./search-service";

export const NEURONPEDIA_PAGE = 20;

const Offset = z
  .number({ error: "offset must be an integer" })
  .int("offset must be an integer")
  .min(0, "offset must be >= 0")
  .max(MAX_DEPTH, `offset must be <= ${MAX_DEPTH}`)
  .default(0);
const ModelId = z.string({ error: "modelId is required" }).regex(MODEL_ID, "modelId must match [a-z0-9][a-z0-9._-]{0,63}");

const SearchAllBody = z.object({ query: QueryText, offset: Offset }).openapi("NpExplanationSearchAll");
const SearchModelBody = z.object({ modelId: ModelId, query: QueryText, offset: Offset }).openapi("NpExplanationSearchModel");
const SearchBody = z
  .object({
    modelId: ModelId,
    layers: z
      .array(z.string().regex(SAE_ID, "layers must be SAE ids (Neuronpedia sources)"), { error: "layers must be a list of SAE ids" })
      .min(1, "layers must name at least one SAE")
      .max(20, "at most 20 layers"),
    query: QueryText,
    offset: Offset,
  })
  .openapi("NpExplanationSearch");

const NpResult = z.object({
  modelId: z.string(),
  layer: z.string(),
  index: z.string(),
  description: z.string(),
  explanationModelName: z.string(),
  typeName: z.string(),
  cosine_similarity: z.number(),
  neuron: z.object({ modelId: z.string(), layer: z.string(), index: z.string(), maxActApprox: z.number().nullable(), frac_nonzero: z.number().nullable() }),
});
const NpResponse = z
  .object({
    request: z.record(z.string(), z.unknown()),
    results: z.array(NpResult),
    resultsCount: z.number().int(),
    hasMore: z.boolean(),
    nextOffset: z.number().int(),
  })
  .openapi("NpExplanationSearchResponse");

const route = (path: string, schema: z.ZodType, summary: string) =>
  createRoute({
    method: "post",
    path,
    tags: ["Neuronpedia-compatible"],
    summary,
    description: `Neuronpedia's request and response fields; ${NEURONPEDIA_PAGE} results per page, \`nextOffset\` for the next one.`,
    request: { body: { content: { "application/json": { schema } }, required: true } },
    responses: { 200: json(NpResponse, "Matching explanations"), ...errors(400, 401, 404, 413, 429, 503) },
  });

function npResult(h: SearchHit) {
  const index = String(h.index);
  return {
    modelId: h.model,
    layer: h.sae,
    index,
    description: h.explanationText,
    explanationModelName: h.explainer,
    typeName: h.method,
    cosine_similarity: h.score,
    neuron: { modelId: h.model, layer: h.sae, index, maxActApprox: h.maxActivation, frac_nonzero: h.density },
  };
}

async function respond(c: Context<AppEnv>, request: Record<string, unknown>, q: { query: string; offset: number; model?: string; saes?: string[] }) {
  const { hits, hasMore } = await search(c.env, {
    q: q.query,
    mode: "semantic",
    model: q.model,
    saes: q.saes,
    limit: NEURONPEDIA_PAGE,
    offset: q.offset,
    perLatent: false,
  });
  return c.json({ request, results: hits.map(npResult), resultsCount: hits.length, hasMore, nextOffset: q.offset + NEURONPEDIA_PAGE }, 200);
}

export const neuronpediaSearchRoutes = () =>
  createRouter()
    .openapi(route("/api/explanation/search", SearchBody, "Search explanations of some SAEs of one model"), (c) => {
      const body = c.req.valid("json") as z.infer<typeof SearchBody>;
      return respond(c, body, { query: body.query, offset: body.offset, model: body.modelId, saes: body.layers });
    })
    .openapi(route("/api/explanation/search-model", SearchModelBody, "Search explanations of one model"), (c) => {
      const body = c.req.valid("json") as z.infer<typeof SearchModelBody>;
      return respond(c, body, { query: body.query, offset: body.offset, model: body.modelId });
    })
    .openapi(route("/api/explanation/search-all", SearchAllBody, "Search explanations of every model"), (c) => {
      const body = c.req.valid("json") as z.infer<typeof SearchAllBody>;
      return respond(c, body, { query: body.query, offset: body.offset });
    });
