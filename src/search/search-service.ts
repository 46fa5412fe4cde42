// One search request end to end: which releases, ranking, one result per
// latent, the page, and the text of what is on it.
import { activeModel, activeModels, type ActiveModel } from "../core/active-release";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { vectorBackend } from "./backend";
import { EmbedderUnavailable } from "./embed/embedder";
import { queryEmbedder } from "./embed/select-embedder";
import { HYBRID_CANDIDATES } from "./fusion";
import { hydrate, hydratedKey } from "./hydrate";
import { rankExplanations, type RankedHit, type SearchMode } from "./rank";
import type { Timings } from "./timings";
import { MAX_DEPTH } from "./schemas";
import { IndexUnavailable, type VectorFilter } from "./vectors/vector-index";


export interface SearchRequest {
  q: string;
  mode: SearchMode;
  model?: string;
  saes?: string[];
  layers?: number[];
  minScore?: number;
  limit: number;
  offset: number;
  /** One result per latent (its best explanation) rather than per explanation. */
  perLatent: boolean;
}

export interface SearchHit extends RankedHit {
  explanationText: string;
  explainer: string;
  method: string;
  scores: Record<string, number>;
  density: number | null;
  maxActivation: number | null;
}

/** Index and model errors become a 503 that says what is missing. */
export async function asUnavailable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof IndexUnavailable || err instanceof EmbedderUnavailable) throw new ApiError("UNAVAILABLE", err.message);
    throw err;
  }
}

export async function modelsToSearch(env: Env, model?: string): Promise<ActiveModel[]> {
  return model ? [await activeModel(env, model)] : activeModels(env);
}

function onePerLatent(hits: RankedHit[]): RankedHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const k = `${h.release}|${h.sae}|${h.index}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export async function withText(env: Env, hits: RankedHit[], timings?: Timings): Promise<SearchHit[]> {
  const rows = timings ? await timings.time("hydrate", () => hydrate(env, hits)) : await hydrate(env, hits);
  return hits.flatMap((h) => {
    const row = rows.get(hydratedKey(h.release, h.explanation));
    if (!row) return [];
    const { text, ...rest } = row;
    return [{ ...h, ...rest, explanationText: text }];
  });
}

export async function search(env: Env, req: SearchRequest, timings?: Timings): Promise<{ hits: SearchHit[]; hasMore: boolean }> {
  const end = req.offset + req.limit;
  if (req.offset >= MAX_DEPTH) return { hits: [], hasMore: false };
  const models = timings ? await timings.time("models", () => modelsToSearch(env, req.model)) : await modelsToSearch(env, req.model);
  const filter: VectorFilter = { saes: req.saes, layers: req.layers, minScore: req.minScore };
  // Room for latents with several explanations, plus one to learn whether a next page exists.
  const wanted = Math.min(MAX_DEPTH, req.perLatent ? 2 * (end + 1) + 10 : end + 1);
  const depth = req.mode === "hybrid" ? Math.max(wanted, HYBRID_CANDIDATES) : wanted;
  const ranked = await asUnavailable(() =>
    rankExplanations(
      { env, index: vectorBackend(env), embedder: () => queryEmbedder(env), timings },
      { text: req.q, mode: req.mode, models, filter, depth },
    ),
  );
  const list = req.perLatent ? onePerLatent(ranked) : ranked;
  const page = list.slice(req.offset, end);
  return { hits: await withText(env, page, timings), hasMore: list.length > end && end < MAX_DEPTH };
}
