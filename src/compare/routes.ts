// OpenAPI definitions of the cross-SAE comparison routes.
import { createRoute, z } from "@hono/zod-openapi";
import { errors, json } from "../core/schemas";
import { IndexParam, Limit, MatchMethod, ModelId, SaeId, errorResponses } from "./params";

const tags = ["Compare"];

const LatentParams = z.object({ model: ModelId, sae: SaeId("sae"), index: IndexParam("index") });

const MatchSchema = z
  .object({
    sae: z.string(),
    layer: z.number().int(),
    index: z.number().int(),
    method: z.string().openapi({ example: "decoder_cosine" }),
    rank: z.number().int(),
    score: z.number(),
    explanation: z.string().nullable().openapi({ description: "The partner's first explanation, if any" }),
  })
  .openapi("LatentMatch");

const MatchesResponse = z
  .object({
    model: z.string(),
    sae: z.string(),
    layer: z.number().int(),
    index: z.number().int(),
    source: z.enum(["stored", "live"]),
    matches: z.array(MatchSchema),
  })
  .openapi("LatentMatches");

export const matchesRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/saes/{sae}/latents/{index}/matches",
  tags,
  summary: "A latent's best matches in other SAEs, as the batch computed them",
  description:
    "Partners by decoder cosine (`decoder_cosine`), by cosine of explanation embeddings (`explanation_cosine`) and the one-to-one assignment partner (`hungarian_decoder`, rank 0 only). Sorted by distance in layers, then SAE, method and rank.",
  request: {
    params: LatentParams,
    query: z.object({
      target: SaeId("target").optional().openapi({ param: { name: "target", in: "query" }, description: "Only matches in this SAE" }),
      method: z
        .enum(["decoder_cosine", "explanation_cosine", "hungarian_decoder", "both", "all"])
        .default("all")
        .openapi({ description: "`both` = decoder_cosine and explanation_cosine; `all` adds hungarian_decoder" }),
      limit: Limit(50, 5).openapi({ description: "Matches per partner SAE and method (max 50)" }),
    }),
  },
  responses: { 200: json(MatchesResponse, "Matches"), ...errorResponses },
});

export const liveMatchesRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/saes/{sae}/latents/{index}/matches/live",
  tags,
  summary: "Explanation-based matches of a latent in any SAE, computed now",
  description:
    "Nearest explanations of the target SAE to this latent's explanation embeddings (cosine, through the vector index), for SAE pairs the batch did not compare. A latent with several explanations is matched through each; a partner keeps its best score.",
  request: {
    params: LatentParams,
    query: z.object({
      target: SaeId("target").openapi({ param: { name: "target", in: "query" }, description: "The SAE to search" }),
      limit: Limit(50, 10),
    }),
  },
  responses: {
    200: json(MatchesResponse, "Matches"),
    ...errors(400, 401, 404, 429, 503),
  },
});

const PairSchema = z
  .object({
    saeA: z.string(),
    saeB: z.string(),
    method: z.string(),
    nA: z.number().int(),
    nB: z.number().int(),
    threshold: z.number(),
    matchedFraction: z.number().openapi({ description: "Fraction of A's latents whose one-to-one partner in B scores above threshold" }),
    meanMatchedScore: z.number(),
    medianMatchedScore: z.number(),
    histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) }),
    reversed: z.boolean().openapi({ description: "Read from the stored B-to-A summary" }),
  })
  .openapi("SaePairSummary");

export const pairRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/saes/{sae}/compare/{other}",
  tags,
  summary: "How similar two SAEs are: summary of their one-to-one matching",
  request: {
    params: z.object({ model: ModelId, sae: SaeId("sae"), other: SaeId("other") }),
    query: z.object({ method: z.enum(["decoder_cosine", "explanation_cosine"]).optional() }),
  },
  responses: {
    200: json(z.object({ model: z.string(), pairs: z.array(PairSchema) }).openapi("SaePairSummaries"), "One summary per method"),
    ...errorResponses,
  },
});

export const matrixRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/similarity",
  tags,
  summary: "Layer x layer similarity matrix of a model's SAEs",
  description: "Rows and columns are the SAEs compared under `method`, in layer order; `values[i][j]` is the measure of SAE i against SAE j, 1 on the diagonal, null where no comparison was stored.",
  request: {
    params: z.object({ model: ModelId }),
    query: z.object({
      method: z.enum(["decoder_cosine", "explanation_cosine"]).default("decoder_cosine"),
      measure: z.enum(["matchedFraction", "meanMatchedScore", "medianMatchedScore"]).default("matchedFraction"),
      site: z.enum(["resid_pre", "resid_post", "mlp_out", "attn_out", "mlp_neurons"]).optional().openapi({ description: "Only SAEs at this site" }),
    }),
  },
  responses: {
    200: json(
      z
        .object({
          model: z.string(),
          method: z.string(),
          measure: z.string(),
          saes: z.array(z.object({ id: z.string(), layer: z.number().int(), site: z.string(), kind: z.string(), width: z.number().int() })),
          values: z.array(z.array(z.number().nullable())),
        })
        .openapi("SimilarityMatrix"),
      "The matrix",
    ),
    ...errorResponses,
  },
});

export { MatchMethod };
