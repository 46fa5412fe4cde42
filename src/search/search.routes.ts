// GET and POST /v1/search: explanation search over every live model, or one.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { errors, json } from "../core/schemas";
import type { AppEnv } from "../env";
import { createRouter } from "../router";
import type { SearchMode } from "./rank";
import { SearchBodySchema, SearchQuerySchema, SearchResponseSchema } from "./schemas";
import { cursorOffset, searchCursor } from "./search-cursor";
import { search, type SearchHit } from "./search-service";
import { Timings } from "./timings";

const DESCRIPTION = `Finds latents by what their explanations say.

- \`semantic\`: cosine between the query's embedding (all-MiniLM-L6-v2, computed in the Worker) and each explanation's.
- \`lexical\`: BM25 over explanation words (FTS5, Porter stemming); the query is only ever words, never FTS syntax.
- \`hybrid\` (default): both lists fused as cosine + 0.01 x BM25 over their union, each candidate with its cosine.

Cosines are exact (fp16 vectors) for releases of up to 20,000 explanations; larger releases score with int8 codes, within 3e-3 of exact.

One result per latent (its best explanation), best first; each says where its rank came from.
\`min_score\` is a minimum cosine (semantic, hybrid) or BM25 (lexical). Page with \`nextCursor\`; paging stops 500 explanations deep.`;

const getSearch = createRoute({
  method: "get",
  path: "/v1/search",
  tags: ["Search"],
  summary: "Search latents by explanation (semantic, lexical or hybrid)",
  description: DESCRIPTION,
  request: { query: SearchQuerySchema },
  responses: { 200: json(SearchResponseSchema, "One page of latents"), ...errors(400, 401, 404, 429, 503) },
});

const postSearch = createRoute({
  method: "post",
  path: "/v1/search",
  tags: ["Search"],
  summary: "Search latents by explanation, with the query in a JSON body",
  description: `${DESCRIPTION}\n\nThe same search as GET, for queries that are awkward in a URL; \`sae\` and \`layer\` are arrays here.`,
  request: { body: { content: { "application/json": { schema: SearchBodySchema } }, required: true } },
  responses: { 200: json(SearchResponseSchema, "One page of latents"), ...errors(400, 401, 404, 413, 429, 503) },
});

export function hitJson(h: SearchHit) {
  return {
    model: h.model,
    release: h.release,
    sae: h.sae,
    layer: h.layer,
    index: h.index,
    explanation: { id: h.explanation, text: h.explanationText, explainer: h.explainer, method: h.method, scores: h.scores },
    density: h.density,
    maxActivation: h.maxActivation,
    score: h.score,
    semantic: h.semantic,
    lexical: h.lexical,
  };
}

interface Params {
  q: string;
  mode: SearchMode;
  model?: string;
  sae?: string[];
  layer?: number[];
  min_score?: number;
  limit: number;
  cursor?: string;
}

async function respond(c: Context<AppEnv>, p: Params) {
  const identity = [p.q, p.mode, p.model ?? null, p.sae ?? [], p.layer ?? [], p.min_score ?? null];
  const offset = cursorOffset(p.cursor, identity);
  const timings = new Timings();
  const { hits, hasMore } = await search(c.env, {
    q: p.q,
    mode: p.mode,
    model: p.model,
    saes: p.sae,
    layers: p.layer,
    minScore: p.min_score,
    limit: p.limit,
    offset,
    perLatent: true,
  }, timings);
  c.header("Server-Timing", timings.header());
  return c.json(
    {
      query: p.q,
      mode: p.mode,
      results: hits.map(hitJson),
      nextCursor: hasMore ? searchCursor(offset + p.limit, identity) : null,
    },
    200,
  );
}

export const searchRoutesV1 = () =>
  createRouter()
    .openapi(getSearch, (c) => respond(c, c.req.valid("query")))
    .openapi(postSearch, (c) => respond(c, c.req.valid("json")));
