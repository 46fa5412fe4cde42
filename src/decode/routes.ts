// OpenAPI definitions of the LM-head decoding routes.
import { createRoute, z } from "@hono/zod-openapi";
import { IndexParam, Limit, ModelId, SaeId, errorResponses } from "../compare/params";
import { json } from "../core/schemas";
import { DIRECTIONS } from "./decodings";

const tags = ["Decode"];

const Direction = z.enum(DIRECTIONS).optional().openapi({
  description: "`decoder`/`encoder` for SAE latents; `read_up`/`read_gate`/`write` for MLP neurons. All stored directions when absent.",
});

/** Token text as typed; never trimmed, because a leading space is part of a token. */
const TokenText = (name: string, description: string) =>
  z
    .string()
    .min(1, `${name} must not be empty`)
    .max(256, `${name} is too long (256 characters at most)`)
    .optional()
    .openapi({ param: { name, in: "query" }, description, example: " dog" });

const TokenSchema = z.object({ id: z.number().int(), token: z.string().nullable(), value: z.number() }).openapi("DecodedToken");
/** A vocabulary entry, as the token lookups return it. */
const VocabToken = z.object({ id: z.number().int(), token: z.string() });

const DecodingsResponse = z
  .object({
    model: z.string(),
    sae: z.string(),
    layer: z.number().int(),
    kind: z.string(),
    index: z.number().int(),
    decodings: z.array(z.object({ direction: z.string(), top: z.array(TokenSchema), bottom: z.array(TokenSchema) })),
  })
  .openapi("FeatureDecodings");

const decodingsQuery = z.object({ direction: Direction, limit: Limit(100, 20).openapi({ description: "Tokens per side (max 100)" }) });

export const decodingsRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/saes/{sae}/latents/{index}/decodings",
  tags,
  summary: "Top positive and negative tokens of a feature through the LM head",
  description: "Works for SAE latents and, with a neuron set's id as `sae`, for MLP neurons.",
  request: { params: z.object({ model: ModelId, sae: SaeId("sae"), index: IndexParam("index") }), query: decodingsQuery },
  responses: { 200: json(DecodingsResponse, "Decodings per direction"), ...errorResponses },
});

export const neuronDecodingsRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/neurons/{layer}/{index}/decodings",
  tags,
  summary: "Top tokens of an MLP neuron (read_up, read_gate and write directions)",
  request: {
    params: z.object({ model: ModelId, layer: IndexParam("layer", "path", 6), index: IndexParam("index") }),
    query: decodingsQuery,
  },
  responses: { 200: json(DecodingsResponse, "Decodings per direction"), ...errorResponses },
});

const PromoterSchema = z
  .object({
    tokenId: z.number().int(),
    token: z.string(),
    sae: z.string(),
    layer: z.number().int(),
    kind: z.string(),
    index: z.number().int(),
    value: z.number(),
    explanation: z.string().nullable(),
  })
  .openapi("TokenPromoter");

export const promotersRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/tokens/promoters",
  tags,
  summary: "Which neurons and latents promote a token most",
  description:
    "Exact token (`token`, e.g. `%20dog` for ' dog'), a token id (`token_id`), or every token starting with `prefix` (up to 50 tokens, merged). A token the vocabulary lacks is a 404 whose message lists near tokens.",
  request: {
    params: z.object({ model: ModelId }),
    query: z.object({
      token: TokenText("token", "Exact token text, leading space included"),
      prefix: TokenText("prefix", "Token text prefix"),
      token_id: IndexParam("token_id", "query", 2).optional().openapi({ description: "Token id (for tokens whose text is empty or shared)" }),
      direction: Direction,
      kind: z.enum(["neurons", "sae", "transcoder"]).optional().openapi({ description: "Only features of this kind" }),
      limit: Limit(100, 20).openapi({ description: "Features per direction (max 100)" }),
    }),
  },
  responses: {
    200: json(
      z
        .object({
          model: z.string(),
          match: z.enum(["exact", "prefix", "id"]),
          tokens: z.array(VocabToken),
          groups: z.array(z.object({ direction: z.string(), promoters: z.array(PromoterSchema) })),
        })
        .openapi("TokenPromoters"),
      "Promoters grouped by direction, strongest first",
    ),
    ...errorResponses,
  },
});

export const vocabRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/tokens",
  tags,
  summary: "Vocabulary lookup: tokens by exact text or prefix, or near tokens",
  request: {
    params: z.object({ model: ModelId }),
    query: z.object({
      token: TokenText("token", "Exact token text; when absent from the vocabulary the answer lists near tokens"),
      prefix: TokenText("prefix", "Token text prefix"),
      limit: Limit(100, 20),
    }),
  },
  responses: {
    200: json(
      z
        .object({
          model: z.string(),
          tokens: z.array(VocabToken),
          suggestions: z.array(z.string()).openapi({ description: "Near tokens, when an exact token was not found" }),
        })
        .openapi("VocabLookup"),
      "Matching tokens",
    ),
    ...errorResponses,
  },
});
