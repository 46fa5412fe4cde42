// OpenAPI schemas of the search routes: what /openapi.json documents and the
// validator enforces.
import { z } from "@hono/zod-openapi";
import { MODEL_ID, SAE_ID } from "../bundle/manifest";

/** Longer queries are refused: nothing useful is that long, and embedding cost grows with it. */
export const MAX_QUERY_CHARS = 1000;
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
/** Paging stops this deep (explanations ranked per request). */
export const MAX_DEPTH = 500;
const MAX_LIST = 20;

export const SearchModeSchema = z.enum(["hybrid", "semantic", "lexical"], {
  error: "mode must be one of hybrid, semantic, lexical",
});

export const QueryText = z
  .string({ error: "q is required" })
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "q must not be empty")
      .max(MAX_QUERY_CHARS, `q is too long (at most ${MAX_QUERY_CHARS} characters)`),
  )
  .openapi({ type: "string", example: "legal citations and court cases", description: `1..${MAX_QUERY_CHARS} characters` });

const SaeList = z
  .string()
  .max(2000, "sae is too long")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(SAE_ID, "sae must be comma-separated SAE ids")).max(MAX_LIST, `at most ${MAX_LIST} SAEs`))
  .openapi({ type: "string", example: "20-gemmascope-res-16k", description: "One SAE id, or several separated by commas" });

const LayerList = z
  .string()
  .max(200, "layer is too long")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean).map(Number))
  .pipe(z.array(z.number().int("layer must be integers").min(0, "layer must be >= 0").max(10_000, "layer is too large")).max(MAX_LIST))
  .openapi({ type: "string", example: "20", description: "One layer, or several separated by commas" });

const MinScore = z.coerce
  .number({ error: "min_score must be a number" })
  .min(-1e6, "min_score is out of range")
  .max(1e6, "min_score is out of range")
  .openapi({ type: "number", description: "Minimum cosine (semantic, hybrid) or BM25 (lexical)" });

const Limit = z.coerce
  .number({ error: "limit must be an integer" })
  .int("limit must be an integer")
  .min(1, "limit must be >= 1")
  .max(MAX_LIMIT, `limit must be <= ${MAX_LIMIT}`)
  .default(DEFAULT_LIMIT)
  // The coercion hides the bounds from the generator; state them for clients.
  .openapi({ type: "integer", minimum: 1, maximum: MAX_LIMIT, example: DEFAULT_LIMIT });

export const SearchQuerySchema = z.object({
  q: QueryText,
  mode: SearchModeSchema.default("hybrid"),
  model: z.string().regex(MODEL_ID, "model must match [a-z0-9][a-z0-9._-]{0,63}").optional(),
  sae: SaeList.optional(),
  layer: LayerList.optional(),
  min_score: MinScore.optional(),
  limit: Limit,
  cursor: z.string().max(300, "cursor is too long").optional(),
});

export const SearchBodySchema = z
  .object({
    q: QueryText,
    mode: SearchModeSchema.default("hybrid"),
    model: z.string().regex(MODEL_ID, "model must match [a-z0-9][a-z0-9._-]{0,63}").optional(),
    sae: z.array(z.string().regex(SAE_ID, "sae must be SAE ids")).max(MAX_LIST, `at most ${MAX_LIST} SAEs`).optional(),
    layer: z.array(z.number().int("layer must be integers").min(0).max(10_000)).max(MAX_LIST).optional(),
    min_score: z.number().min(-1e6).max(1e6).optional(),
    limit: z.number().int("limit must be an integer").min(1, "limit must be >= 1").max(MAX_LIMIT, `limit must be <= ${MAX_LIMIT}`).default(DEFAULT_LIMIT),
    cursor: z.string().max(300, "cursor is too long").optional(),
  })
  .strict()
  .openapi("SearchRequest");

export const SearchHitSchema = z
  .object({
    model: z.string(),
    release: z.number().int(),
    sae: z.string(),
    layer: z.number().int(),
    index: z.number().int(),
    explanation: z.object({
      id: z.number().int(),
      text: z.string(),
      explainer: z.string(),
      method: z.string(),
      scores: z.record(z.string(), z.number()).openapi({ description: "Explanation quality scores by scorer (fuzz, detection, ...)" }),
    }),
    density: z.number().nullable(),
    maxActivation: z.number().nullable(),
    score: z.number().openapi({ description: "What results are ordered by: cosine, BM25 or the fused score" }),
    semantic: z
      .object({ rank: z.number().int().nullable(), cosine: z.number() })
      .nullable()
      .openapi({ description: "Rank in the semantic list (null: found lexically only) and cosine (exact up to 20,000 explanations a release, int8 above)" }),
    lexical: z.object({ rank: z.number().int(), bm25: z.number() }).nullable(),
  })
  .openapi("SearchHit");

export const SearchResponseSchema = z
  .object({
    query: z.string(),
    mode: SearchModeSchema,
    results: z.array(SearchHitSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi("SearchResponse");

export const SimilarQuerySchema = z.object({
  sae: z.string().regex(SAE_ID, "sae must be an SAE id").optional().openapi({ description: "Look in this SAE instead of all of the model's" }),
  limit: Limit,
  min_score: MinScore.optional(),
});

export const SimilarResponseSchema = z
  .object({
    model: z.string(),
    sae: z.string(),
    index: z.number().int(),
    results: z.array(SearchHitSchema),
  })
  .openapi("SimilarLatents");
