// Ranks explanations for a query in one of three modes, across the live
// release of every requested model. Returns explanation-level hits with
// where each rank came from; callers hydrate text and page through them.
import type { ActiveModel } from "../core/active-release";
import type { Env } from "../env";
import { ApiError } from "../errors";
import type { Embedder } from "./embed/embedder";
import type { Timings } from "./timings";
import { fusedScore } from "./fusion";
import { frequentWords } from "./lexical/frequent-words";
import { lexicalSearch, type LexicalHit } from "./lexical/lexical-search";
import type { VectorFilter, VectorHit, VectorIndex } from "./vectors/vector-index";

export type SearchMode = "hybrid" | "semantic" | "lexical";

export interface RankedHit {
  model: string;
  release: number;
  explanation: number;
  sae: string;
  layer: number;
  index: number;
  /** rank is null for a hybrid hit found only lexically (its cosine is still exact). */
  semantic: { rank: number | null; cosine: number } | null;
  lexical: { rank: number; bm25: number } | null;
  /** The score results are ordered by: cosine, BM25 or the fused score. */
  score: number;
}

export interface RankInput {
  text: string;
  mode: SearchMode;
  models: ActiveModel[];
  filter: VectorFilter;
  /** How many hits to rank (the page end plus room for de-duplication). */
  depth: number;
}

export interface RankDeps {
  env: Env;
  index: VectorIndex;
  embedder: () => Promise<Embedder>;
  /** Phase timings of this request (Server-Timing), when the caller keeps them. */
  timings?: Timings;
  /** A release's frequent words, left out of lexical queries (default: from R2). */
  frequentWords?: (release: number) => Promise<ReadonlySet<string>>;
}

const timed = <T>(deps: RankDeps, name: string, run: () => Promise<T>): Promise<T> => (deps.timings ? deps.timings.time(name, run) : run());

const key = (h: { release: number; explanation: number }) => `${h.release}:${h.explanation}`;

function checkEmbeddingModel(models: ActiveModel[], embedder: Embedder): void {
  const other = models.find((m) => m.manifest.embedding.model !== embedder.model);
  if (other) {
    throw new ApiError(
      "UNAVAILABLE",
      `model ${other.id} was embedded with ${other.manifest.embedding.model}, but this deployment embeds queries with ${embedder.model}`,
    );
  }
}

type HitIdentity = Pick<RankedHit, "model" | "release" | "explanation" | "sae" | "layer" | "index">;

/** The fields that name a hit, whichever ranker found it. */
function identity(h: HitIdentity): HitIdentity {
  return { model: h.model, release: h.release, explanation: h.explanation, sae: h.sae, layer: h.layer, index: h.index };
}

/** A semantic hit as a ranked result: `rank` is 0-based, `score` its starting score. */
function semanticRanked(h: VectorHit & { model: string }, rank: number, score: number): RankedHit {
  return {
    ...identity(h),
    semantic: { rank: rank + 1, cosine: h.score },
    lexical: null,
    score,
  };
}

async function semanticHits(deps: RankDeps, input: RankInput, vector: Float32Array): Promise<(VectorHit & { model: string })[]> {
  const perRelease = await timed(deps, "vectors", () => Promise.all(
    input.models.map(async (m) => {
      const hits = await deps.index.query({ model: m.id, release: m.release }, vector, input.depth, input.filter);
      return hits.map((h) => ({ ...h, model: m.id }));
    }),
  ));
  return perRelease.flat().sort((a, b) => b.score - a.score).slice(0, input.depth);
}

async function lexicalHits(deps: RankDeps, input: RankInput): Promise<(LexicalHit & { model: string })[]> {
  const perRelease = await timed(deps, "lexical", () => Promise.all(
    input.models.map(async (m) => {
      const frequent = await (deps.frequentWords ?? ((r: number) => frequentWords(deps.env.BLOBS, r)))(m.release);
      const hits = await lexicalSearch(deps.env.DB, m.release, input.text, input.depth, input.filter, frequent);
      return hits.map((h) => ({ ...h, model: m.id }));
    }),
  ));
  return perRelease.flat().sort((a, b) => b.bm25 - a.bm25).slice(0, input.depth);
}

const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[d]!;
  return sum;
};

/** Exact cosines of lexical-only hits, one batched read per release (0 where a vector is missing). */
async function cosinesOf(deps: RankDeps, hits: (LexicalHit & { model: string })[], vector: Float32Array): Promise<number[]> {
  const byRelease = new Map<number, { model: string; at: number[] }>();
  hits.forEach((h, i) => {
    const group = byRelease.get(h.release) ?? { model: h.model, at: [] };
    group.at.push(i);
    byRelease.set(h.release, group);
  });
  const out = new Array<number>(hits.length).fill(0);
  await Promise.all(
    [...byRelease].map(async ([release, { model, at }]) => {
      const vectors = await deps.index.vectorsOf({ model, release }, at.map((i) => hits[i]!.explanation));
      vectors.forEach((v, j) => (out[at[j]!] = v ? dot(v, vector) : 0));
    }),
  );
  return out;
}

export async function rankExplanations(deps: RankDeps, input: RankInput): Promise<RankedHit[]> {
  if (!input.models.length) return [];
  const minScore = input.filter.minScore;

  if (input.mode === "lexical") {
    return (await lexicalHits(deps, input))
      .map((h, rank) => ({
        ...identity(h),
        semantic: null,
        lexical: { rank: rank + 1, bm25: h.bm25 },
        score: h.bm25,
      }))
      .filter((h) => minScore === undefined || h.score >= minScore);
  }

  // The lexical query is I/O to D1: start it before the embedding, which is CPU.
  const lexicalPending = input.mode === "hybrid" ? lexicalHits(deps, input) : null;
  lexicalPending?.catch(() => undefined);
  const embedder = await timed(deps, "model", () => deps.embedder());
  checkEmbeddingModel(input.models, embedder);
  const [vector] = await timed(deps, "embed", () => embedder.embed([input.text]));
  if (!vector) throw new Error("the embedder returned no vector");

  if (!lexicalPending) {
    return (await semanticHits(deps, input, vector)).map((h, rank) => semanticRanked(h, rank, h.score));
  }

  // Hybrid: the semantic list is not cut by min_score before fusion; the
  // fused list is, on each hit's cosine.
  const semantic = await semanticHits(deps, { ...input, filter: { ...input.filter, minScore: undefined } }, vector);
  const lexical = await lexicalPending;
  const merged = new Map<string, RankedHit>();
  semantic.forEach((h, rank) => merged.set(key(h), semanticRanked(h, rank, 0)));
  const lexicalOnly: (LexicalHit & { model: string; rank: number })[] = [];
  lexical.forEach((h, rank) => {
    const found = merged.get(key(h));
    if (found) found.lexical = { rank: rank + 1, bm25: h.bm25 };
    else lexicalOnly.push({ ...h, rank });
  });
  const cosines = await timed(deps, "fusion", () => cosinesOf(deps, lexicalOnly, vector));
  lexicalOnly.forEach((h, i) => {
    merged.set(key(h), {
      ...identity(h),
      semantic: { rank: null, cosine: cosines[i]! },
      lexical: { rank: h.rank + 1, bm25: h.bm25 },
      score: 0,
    });
  });
  const fused = [...merged.values()];
  for (const h of fused) h.score = fusedScore(h.semantic?.cosine ?? null, h.lexical?.bm25 ?? null);
  return fused
    .filter((h) => minScore === undefined || (h.semantic?.cosine ?? 0) >= minScore)
    .sort((a, b) => b.score - a.score)
    .slice(0, input.depth);
}
