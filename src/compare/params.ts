// Path and query schemas shared by the compare and decode routes. Identifiers
// follow the bundle format's patterns, so anything else is a 400 before any
// query runs (and never reaches SQL as anything but a bound parameter).
import { z } from "@hono/zod-openapi";
import { errors } from "../core/schemas";

export const ModelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "model id must match [a-z0-9][a-z0-9._-]{0,63}")
  .openapi({ param: { name: "model", in: "path" }, example: "gemma-2-2b" });

export const SaeId = (name: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "SAE id must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}")
    .openapi({ param: { name, in: "path" }, example: "20-gemmascope-res-16k" });

/** A non-negative integer written in plain digits ("1e3", "-1", "0x10" are refused). */
export const IndexParam = (name: string, where: "path" | "query" = "path", example = 14403) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a non-negative integer below 1e9`)
    .transform(Number)
    .openapi({ param: { name, in: where }, type: "integer", minimum: 0, maximum: 999_999_999, example });

export const Limit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, "limit must be a positive integer")
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `limit must be between 1 and ${max}`)
    .optional()
    .transform((n) => n ?? fallback)
    .openapi({ param: { name: "limit", in: "query" }, type: "integer", minimum: 1, maximum: max, default: fallback, example: fallback });

export const MatchMethod = z.enum(["decoder_cosine", "explanation_cosine", "hungarian_decoder"]);
export type MatchMethod = z.infer<typeof MatchMethod>;

/** Every read route documents what it and the middleware before it can answer (bad key 401, rate limit 429). */
export const errorResponses = errors(400, 401, 404, 429);
