// OpenAPI schemas of the core routes: the shapes /openapi.json documents
// and the validator enforces.
import { z } from "@hono/zod-openapi";
import { ERROR_STATUS, type ErrorCode } from "../errors";
import { MODEL_ID, SAE_ID } from "../bundle/manifest";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

const ERROR_TEXT: Record<number, string> = {
  400: "Bad request: a parameter or the body is invalid",
  401: "Missing, unknown or revoked API key",
  403: "The API key lacks the scope this route needs",
  404: "Not found",
  409: "Conflicts with the current state",
  413: "Request body too large",
  422: "Bundle refused (names the file and line)",
  429: "Rate limited; see Retry-After",
  503: "A backing store is unavailable",
};

/** Error responses, all with the one error body. */
export function errors(...statuses: (keyof typeof ERROR_TEXT)[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: ERROR_TEXT[s]!, content: { "application/json": { schema: ErrorSchema } } }]),
  ) as Record<number, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }>;
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const ModelIdParam = z
  .string()
  .regex(MODEL_ID, "model must match [a-z0-9][a-z0-9._-]{0,63}")
  .openapi({ param: { name: "model", in: "path" }, example: "gemma-2-2b" });
export const SaeIdParam = z
  .string()
  .regex(SAE_ID, "sae must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}")
  .openapi({ param: { name: "sae", in: "path" }, example: "20-gemmascope-res-16k" });
export const IndexParam = z.coerce
  .number({ error: "index must be an integer" })
  .int("index must be an integer")
  .min(0, "index must be >= 0")
  .max(2 ** 31 - 1, "index is too large")
  .openapi({ param: { name: "index", in: "path" }, example: 14403, type: "integer", minimum: 0, maximum: 2 ** 31 - 1 });

export const ReleaseSchema = z
  .object({
    id: z.number().int(),
    bundleId: z.string(),
    activatedAt: z.string().nullable(),
    source: z.object({ kind: z.string(), origin: z.string(), license: z.string().nullable() }),
    embedding: z.object({ model: z.string(), dim: z.number().int() }),
  })
  .openapi("Release");

export const ModelSchema = z
  .object({
    id: z.string(),
    displayName: z.string().nullable(),
    architecture: z.string().nullable(),
    nLayers: z.number().int().nullable(),
    dModel: z.number().int().nullable(),
    dMlp: z.number().int().nullable(),
    vocabSize: z.number().int().nullable(),
    saeCount: z.number().int(),
    release: ReleaseSchema,
  })
  .openapi("Model");

export const SaeSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    hookpoint: z.string(),
    layer: z.number().int(),
    site: z.string(),
    kind: z.string(),
    architecture: z.string(),
    width: z.number().int(),
    k: z.number().int().nullable(),
    dIn: z.number().int().nullable(),
    stats: z.record(z.string(), z.number()),
  })
  .openapi("Sae");

export const SaeDetailSchema = SaeSchema.extend({
  latentsWithStats: z.number().int(),
  explainedLatents: z.number().int(),
  explanations: z.number().int(),
}).openapi("SaeDetail");

export const LatentSummarySchema = z
  .object({
    index: z.number().int(),
    density: z.number().nullable(),
    maxActivation: z.number().nullable(),
    explanation: z.string().nullable(),
  })
  .openapi("LatentSummary");

export const LatentPageSchema = z
  .object({
    model: z.string(),
    sae: z.string(),
    release: z.number().int(),
    latents: z.array(LatentSummarySchema),
    nextCursor: z.string().nullable(),
  })
  .openapi("LatentPage");

export const ScoreSchema = z.object({
  scorer: z.string(),
  value: z.number(),
  n: z.number().int(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const ExplanationSchema = z
  .object({
    id: z.number().int(),
    text: z.string(),
    explainer: z.string(),
    method: z.string(),
    promptVersion: z.string().nullable(),
    scores: z.array(ScoreSchema),
  })
  .openapi("Explanation");

export const ExampleSchema = z
  .object({
    kind: z.enum(["top", "quantile", "random"]),
    rank: z.number().int(),
    quantile: z.number().int().nullable(),
    maxActivation: z.number(),
    tokens: z.array(z.string()),
    activations: z.array(z.number()),
  })
  .openapi("Example");

const LogitSchema = z.object({ id: z.number().int(), token: z.string().nullable(), value: z.number() });
export const DecodingSchema = z
  .object({ direction: z.string(), top: z.array(LogitSchema), bottom: z.array(LogitSchema) })
  .openapi("Decoding");

export const MatchSchema = z
  .object({
    sae: z.string(),
    layer: z.number().int().nullable(),
    index: z.number().int(),
    method: z.string(),
    score: z.number(),
    rank: z.number().int(),
    explanation: z.string().nullable(),
  })
  .openapi("Match");

export const LatentDetailSchema = z
  .object({
    model: z.string(),
    sae: z.string(),
    layer: z.number().int(),
    index: z.number().int(),
    release: z.number().int(),
    density: z.number().nullable(),
    maxActivation: z.number().nullable(),
    meanActivation: z.number().nullable(),
    nActivations: z.number().int().nullable(),
    explanations: z.array(ExplanationSchema),
    examples: z.array(ExampleSchema),
    decodings: z.array(DecodingSchema),
    matches: z.array(MatchSchema),
    /** Parts that could not be read (e.g. an R2 object is missing); the rest is served. */
    unavailable: z.array(z.enum(["examples"])),
  })
  .openapi("LatentDetail");

export const LatentRefSchema = z
  .object({
    model: z.string().regex(MODEL_ID, "model must match [a-z0-9][a-z0-9._-]{0,63}"),
    sae: z.string().regex(SAE_ID, "sae must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
    index: z.number().int().min(0).max(2 ** 31 - 1),
  })
  .strict()
  .openapi("LatentRef");

export const MAX_BATCH = 100;
export const BatchRequestSchema = z
  .object({
    latents: z.array(LatentRefSchema).min(1, "latents must hold at least one latent").max(MAX_BATCH, `at most ${MAX_BATCH} latents per batch`),
    examples: z.boolean().optional().openapi({ description: "include top examples (default false)" }),
  })
  .strict()
  .openapi("LatentBatchRequest");

export const BatchResponseSchema = z
  .object({
    results: z.array(
      z.object({ ref: LatentRefSchema, latent: z.union([LatentDetailSchema, z.null()]), error: z.string().nullable() }),
    ),
  })
  .openapi("LatentBatchResponse");
