// Row schemas of every .jsonl file of a bundle (docs/bundle-format.md).
// Shapes only; rules that need other rows (a row's SAE exists, its index is
// below the SAE's width) live in row-context.ts.
import { z } from "zod";
import type { JsonlFile } from "./manifest";
import { SAE_ID } from "./manifest";

const saeId = z.string().regex(SAE_ID, "must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
const index = z.number().int().min(0);
const nullableNumber = z.number().nullable();
const text = z.string().min(1);

export const saeRow = z.strictObject({
  id: saeId,
  hookpoint: text,
  layer: z.number().int().min(0),
  site: z.enum(["resid_pre", "resid_post", "mlp_out", "attn_out", "mlp_neurons"]),
  kind: z.enum(["sae", "transcoder", "neurons"]),
  architecture: z.enum(["topk", "jumprelu", "relu", "batchtopk", "neurons"]),
  width: z.number().int().positive(),
  k: z.number().int().positive().nullable(),
  dIn: z.number().int().positive().nullable(),
  stats: z.record(z.string(), z.number()),
});

export const latentRow = z.strictObject({
  sae: saeId,
  index,
  density: nullableNumber,
  maxActivation: nullableNumber,
  meanActivation: nullableNumber,
  nActivations: z.number().int().min(0).nullable(),
});

export const explanationRow = z.strictObject({
  id: index,
  sae: saeId,
  index,
  text: z
    .string()
    .refine((t) => t.trim().length >= 1 && t.trim().length <= 2000, "text must be 1..2000 characters after trimming"),
  explainer: text,
  method: text,
  promptVersion: z.string().nullable(),
});

const SCORERS = ["fuzz", "detection", "embedding", "simulation", "surprisal", "intervention"] as const;
export const scoreRow = z
  .strictObject({
    explanation: index,
    scorer: z.enum(SCORERS),
    value: z.number(),
    n: z.number().int().positive(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .refine(
    (r) => !["fuzz", "detection", "embedding"].includes(r.scorer) || (r.value >= 0 && r.value <= 1),
    { message: "value of a fuzz, detection or embedding score must be in [0, 1]", path: ["value"] },
  );

export const exampleRow = z
  .strictObject({
    sae: saeId,
    index,
    rank: index,
    kind: z.enum(["top", "quantile", "random"]),
    quantile: z.number().int().min(0).nullable(),
    maxActivation: z.number(),
    tokens: z.array(z.string()).min(1).max(512),
    activations: z.array(z.number()).min(1).max(512),
  })
  .refine((r) => r.tokens.length === r.activations.length, {
    message: "tokens and activations must have equal length",
    path: ["activations"],
  })
  .refine((r) => (r.kind === "quantile") === (r.quantile !== null), {
    message: "quantile is an integer for kind quantile and null otherwise",
    path: ["quantile"],
  });

export const vocabRow = z.strictObject({ id: index, token: z.string() });

const logit = z.strictObject({ id: index, token: z.string(), value: z.number() });
const sortedBy = (order: "desc" | "asc") => (xs: { value: number }[]) =>
  xs.every((x, i) => i === 0 || (order === "desc" ? xs[i - 1]!.value >= x.value : xs[i - 1]!.value <= x.value));

export const DIRECTIONS = ["decoder", "encoder", "read_up", "read_gate", "write"] as const;
export const decodingRow = z.strictObject({
  sae: saeId,
  index,
  direction: z.enum(DIRECTIONS),
  top: z.array(logit).min(1).max(100).refine(sortedBy("desc"), "top must be sorted by value descending"),
  bottom: z.array(logit).min(1).max(100).refine(sortedBy("asc"), "bottom must be sorted by value ascending"),
});

export const tokenIndexRow = z.strictObject({
  tokenId: index,
  token: z.string(),
  direction: z.enum(DIRECTIONS),
  entries: z
    .array(z.strictObject({ sae: saeId, index, value: z.number() }))
    .min(1)
    .max(100)
    .refine(sortedBy("desc"), "entries must be sorted by value descending"),
});

export const matchRow = z
  .strictObject({
    saeA: saeId,
    indexA: index,
    saeB: saeId,
    indexB: index,
    method: z.enum(["decoder_cosine", "explanation_cosine", "hungarian_decoder"]),
    score: z.number(),
    rank: index,
  })
  .refine((r) => r.saeA !== r.saeB, { message: "saeA and saeB must differ", path: ["saeB"] })
  .refine((r) => r.method !== "hungarian_decoder" || r.rank === 0, {
    message: "a hungarian_decoder match has rank 0 only",
    path: ["rank"],
  });

export const saePairRow = z
  .strictObject({
    saeA: saeId,
    saeB: saeId,
    method: z.enum(["decoder_cosine", "explanation_cosine", "hungarian_decoder"]),
    nA: z.number().int().positive(),
    nB: z.number().int().positive(),
    threshold: z.number(),
    matchedFraction: z.number().min(0).max(1),
    meanMatchedScore: z.number(),
    medianMatchedScore: z.number(),
    histogram: z.strictObject({ edges: z.array(z.number()).min(2), counts: z.array(z.number().int().min(0)) }),
  })
  .refine((r) => r.histogram.counts.length === r.histogram.edges.length - 1, {
    message: "histogram.counts.length must be edges.length - 1",
    path: ["histogram"],
  });

export const ROW_SCHEMAS = {
  "saes.jsonl": saeRow,
  "vocab.jsonl": vocabRow,
  "latents.jsonl": latentRow,
  "explanations.jsonl": explanationRow,
  "scores.jsonl": scoreRow,
  "examples.jsonl": exampleRow,
  "decodings.jsonl": decodingRow,
  "token_index.jsonl": tokenIndexRow,
  "matches.jsonl": matchRow,
  "sae_pairs.jsonl": saePairRow,
} as const satisfies Record<JsonlFile, z.ZodType>;

export type RowOf<F extends JsonlFile> = z.infer<(typeof ROW_SCHEMAS)[F]>;
export type SaeRow = RowOf<"saes.jsonl">;
export type LatentRow = RowOf<"latents.jsonl">;
export type ExplanationRow = RowOf<"explanations.jsonl">;
export type ScoreRow = RowOf<"scores.jsonl">;
export type ExampleRow = RowOf<"examples.jsonl">;
export type VocabRow = RowOf<"vocab.jsonl">;
export type DecodingRow = RowOf<"decodings.jsonl">;
export type TokenIndexRow = RowOf<"token_index.jsonl">;
export type MatchRow = RowOf<"matches.jsonl">;
export type SaePairRow = RowOf<"sae_pairs.jsonl">;
