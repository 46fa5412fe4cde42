// Parses and checks .jsonl lines with the rules that need more than one row:
// a row's SAE exists and its index is below the SAE's width, token ids are
// inside the vocabulary, explanation ids are their line numbers, natural keys
// are unique. The CLI checks a whole bundle with one context; the Worker
// checks each uploaded part with a context rebuilt from the release's rows.
import type { z } from "zod";
import type { JsonlFile } from "./manifest";
import { BundleError, describeIssues } from "./manifest";
import { ROW_SCHEMAS, type RowOf } from "./rows";

export interface RowContext {
  /** Width of every SAE of the bundle, by id. */
  saeWidths: Map<string, number>;
  nLayers: number | null;
  /** Number of token ids (manifest model.vocabSize); null when unknown. */
  vocabSize: number | null;
  /** Rows of explanations.jsonl per the manifest. */
  explanationCount: number;
  /** Natural keys seen so far, per file (duplicates are refused). */
  seen: Map<string, Set<string>>;
}

export function newRowContext(init: Partial<RowContext> = {}): RowContext {
  return {
    saeWidths: init.saeWidths ?? new Map(),
    nLayers: init.nLayers ?? null,
    vocabSize: init.vocabSize ?? null,
    explanationCount: init.explanationCount ?? 0,
    seen: init.seen ?? new Map(),
  };
}

type Check<F extends JsonlFile> = (row: RowOf<F>, line: number, ctx: RowContext) => string | null;

function feature(ctx: RowContext, sae: string, index: number, label = ""): string | null {
  const width = ctx.saeWidths.get(sae);
  if (width === undefined) return `${label}sae ${JSON.stringify(sae)} is not in saes.jsonl`;
  if (index >= width) return `${label}index ${index} is not below the width ${width} of ${sae}`;
  return null;
}

function token(ctx: RowContext, id: number): string | null {
  return ctx.vocabSize !== null && id >= ctx.vocabSize ? `token id ${id} is not below vocabSize ${ctx.vocabSize}` : null;
}

function firstProblem(...problems: (string | null)[]): string | null {
  return problems.find((p) => p !== null) ?? null;
}

const CHECKS: { [F in JsonlFile]: { key: (row: RowOf<F>) => string; check?: Check<F> } } = {
  "saes.jsonl": {
    key: (r) => r.id,
    check: (r, _line, ctx) =>
      ctx.nLayers !== null && r.layer >= ctx.nLayers ? `layer ${r.layer} is not below nLayers ${ctx.nLayers}` : null,
  },
  "vocab.jsonl": { key: (r) => String(r.id), check: (r, _line, ctx) => token(ctx, r.id) },
  "latents.jsonl": { key: (r) => `${r.sae}:${r.index}`, check: (r, _l, ctx) => feature(ctx, r.sae, r.index) },
  "explanations.jsonl": {
    key: (r) => String(r.id),
    check: (r, line, ctx) =>
      r.id !== line - 1 ? `id ${r.id} must equal the 0-based line number ${line - 1}` : feature(ctx, r.sae, r.index),
  },
  "scores.jsonl": {
    key: (r) => `${r.explanation}:${r.scorer}`,
    check: (r, _l, ctx) =>
      r.explanation >= ctx.explanationCount
        ? `explanation ${r.explanation} is not an explanation id (explanations.jsonl has ${ctx.explanationCount} rows)`
        : null,
  },
  "examples.jsonl": {
    key: (r) => `${r.sae}:${r.index}:${r.kind}:${r.rank}`,
    check: (r, _l, ctx) => feature(ctx, r.sae, r.index),
  },
  "decodings.jsonl": {
    key: (r) => `${r.sae}:${r.index}:${r.direction}`,
    check: (r, _l, ctx) =>
      firstProblem(feature(ctx, r.sae, r.index), ...r.top.map((t) => token(ctx, t.id)), ...r.bottom.map((t) => token(ctx, t.id))),
  },
  "token_index.jsonl": {
    key: (r) => `${r.tokenId}:${r.direction}`,
    check: (r, _l, ctx) => firstProblem(token(ctx, r.tokenId), ...r.entries.map((e) => feature(ctx, e.sae, e.index, "entries: "))),
  },
  "matches.jsonl": {
    key: (r) => `${r.saeA}:${r.indexA}:${r.saeB}:${r.method}:${r.rank}`,
    check: (r, _l, ctx) => firstProblem(feature(ctx, r.saeA, r.indexA, "A: "), feature(ctx, r.saeB, r.indexB, "B: ")),
  },
  "sae_pairs.jsonl": {
    key: (r) => `${r.saeA}:${r.saeB}:${r.method}`,
    check: (r, _l, ctx) =>
      firstProblem(
        ctx.saeWidths.has(r.saeA) ? null : `saeA ${JSON.stringify(r.saeA)} is not in saes.jsonl`,
        ctx.saeWidths.has(r.saeB) ? null : `saeB ${JSON.stringify(r.saeB)} is not in saes.jsonl`,
      ),
  },
};

/**
 * Parses one line (1-based `line`) of `file`; throws BundleError naming the
 * file and line when the row is refused. Records the row's key in ctx.seen.
 */
export function parseRow<F extends JsonlFile>(file: F, text: string, line: number, ctx: RowContext): RowOf<F> {
  if (text.length === 0) throw new BundleError(file, line, "blank line");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BundleError(file, line, "not valid JSON");
  }
  const schema = ROW_SCHEMAS[file] as unknown as z.ZodType<RowOf<F>>;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new BundleError(file, line, describeIssues(parsed.error));
  const rules = CHECKS[file] as { key: (row: RowOf<F>) => string; check?: Check<F> };
  const problem = rules.check?.(parsed.data, line, ctx) ?? null;
  if (problem) throw new BundleError(file, line, problem);
  let seen = ctx.seen.get(file);
  if (!seen) ctx.seen.set(file, (seen = new Set()));
  const key = rules.key(parsed.data);
  if (seen.has(key)) throw new BundleError(file, line, `duplicate row for key ${key}`);
  seen.add(key);
  if (file === "saes.jsonl") {
    const sae = parsed.data as RowOf<"saes.jsonl">;
    ctx.saeWidths.set(sae.id, sae.width);
  }
  return parsed.data;
}

/** Splits NDJSON text into lines; a trailing newline ends the last line. */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Parses consecutive lines of one file starting at 1-based `firstLine`. */
export function parseRows<F extends JsonlFile>(file: F, lines: string[], firstLine: number, ctx: RowContext): RowOf<F>[] {
  return lines.map((text, i) => parseRow(file, text, firstLine + i, ctx));
}
