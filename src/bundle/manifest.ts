// The bundle manifest (docs/bundle-format.md). Strict: an unknown key is a typo
// that must not pass silently.
import { z } from "zod";

export const FORMAT_VERSION = 1;

export const BUNDLE_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const SAE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Every file a bundle may hold, in ingest order: later files refer to earlier ones. */
export const BUNDLE_FILES = [
  "saes.jsonl",
  "vocab.jsonl",
  "latents.jsonl",
  "explanations.jsonl",
  "explanation_vectors.f32",
  "scores.jsonl",
  "examples.jsonl",
  "decodings.jsonl",
  "token_index.jsonl",
  "matches.jsonl",
  "sae_pairs.jsonl",
] as const;
export type BundleFile = (typeof BUNDLE_FILES)[number];
export type JsonlFile = Exclude<BundleFile, "explanation_vectors.f32">;
export const VECTORS_FILE = "explanation_vectors.f32" as const;

const nullableCount = z.number().int().positive().nullable();

export const fileEntrySchema = z.strictObject({
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits"),
});

export const manifestSchema = z.strictObject({
  format: z.literal("feature-atlas-bundle"),
  formatVersion: z.literal(FORMAT_VERSION, { error: `formatVersion must be ${FORMAT_VERSION}` }),
  bundleId: z.string().regex(BUNDLE_ID, "bundleId must match [a-z0-9][a-z0-9._-]{0,127}"),
  createdAt: z.string().min(1),
  producer: z.strictObject({ name: z.string().min(1), version: z.string().min(1) }),
  source: z.strictObject({
    kind: z.enum(["pipeline", "neuronpedia-export", "delphi"]),
    origin: z.string(),
    license: z.string().nullable(),
  }),
  model: z.strictObject({
    id: z.string().regex(MODEL_ID, "model.id must match [a-z0-9][a-z0-9._-]{0,63}"),
    displayName: z.string().nullable(),
    architecture: z.string().nullable(),
    nLayers: nullableCount,
    dModel: nullableCount,
    dMlp: nullableCount,
    vocabSize: nullableCount,
  }),
  embedding: z.strictObject({
    model: z.string().min(1),
    dim: z.number().int().positive(),
    pooling: z.string().min(1),
    normalized: z.literal(true, { error: "embedding.normalized must be true" }),
    dtype: z.literal("float32"),
  }),
  files: z
    .partialRecord(z.enum(BUNDLE_FILES), fileEntrySchema)
    .refine((f) => "saes.jsonl" in f, { message: "files must list saes.jsonl" }),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntrySchema>;

export class BundleError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly what: string,
  ) {
    super(line === null ? `${file}: ${what}` : `${file}:${line}: ${what}`);
    this.name = "BundleError";
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return `${where}${issue.message}`;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map(describe).join("; ");
}

/** Parses manifest.json text, throwing BundleError("manifest.json", ...) when refused. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BundleError("manifest.json", null, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new BundleError("manifest.json", null, describeIssues(parsed.error));
  const files = parsed.data.files;
  if ((files["explanations.jsonl"]?.rows ?? 0) > 0 && !files[VECTORS_FILE]) {
    throw new BundleError("manifest.json", null, `explanations.jsonl has rows, so ${VECTORS_FILE} is required`);
  }
  const vectors = files[VECTORS_FILE];
  if (vectors) {
    if (vectors.rows !== (files["explanations.jsonl"]?.rows ?? 0)) {
      throw new BundleError(VECTORS_FILE, null, "rows must equal the rows of explanations.jsonl");
    }
    if (vectors.bytes !== vectors.rows * parsed.data.embedding.dim * 4) {
      throw new BundleError(VECTORS_FILE, null, `bytes must be rows x dim x 4 = ${vectors.rows * parsed.data.embedding.dim * 4}`);
    }
  }
  const needsVocab = (files["decodings.jsonl"]?.rows ?? 0) > 0 || (files["token_index.jsonl"]?.rows ?? 0) > 0;
  if (needsVocab && !files["vocab.jsonl"]) {
    throw new BundleError("manifest.json", null, "vocab.jsonl is required with decodings.jsonl or token_index.jsonl");
  }
  return parsed.data;
}

export interface EdgeEmbedding {
  model: string;
  dim: number;
  pooling?: string;
}

/** The edge embeds queries with one model; vectors from any other model would be meaningless to it. */
export function checkEmbedding(manifest: Manifest, edge: EdgeEmbedding): void {
  const m = manifest.embedding;
  if (m.model !== edge.model) {
    throw new BundleError("manifest.json", null, `embedding.model ${m.model} differs from the edge's ${edge.model}`);
  }
  if (m.dim !== edge.dim) {
    throw new BundleError("manifest.json", null, `embedding.dim ${m.dim} differs from the edge's ${edge.dim}`);
  }
  if (edge.pooling && m.pooling !== edge.pooling) {
    throw new BundleError("manifest.json", null, `embedding.pooling ${m.pooling} differs from the edge's ${edge.pooling}`);
  }
}
