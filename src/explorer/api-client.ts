// The explorer reads search results through the public /v1/search route, so
// the page shows exactly what API users get. The request goes to an
// in-isolate instance of the app (no network hop), carrying the caller's
// address so rate limits still count against the caller.
import type { Context } from "hono";
import type { AppEnv } from "../env";

type Fetcher = ReturnType<typeof import("../app").createApp>;
let app: Promise<Fetcher> | undefined;

// Imported lazily: app.ts imports this module, so a static import would be a cycle at load time.
const selfApp = () => (app ??= import("../app").then((m) => m.createApp()));

const FORWARDED = ["cf-connecting-ip", "x-forwarded-for", "authorization", "x-api-key", "x-request-id"];

export async function internalGet(c: Context<AppEnv>, path: string): Promise<{ status: number; body: unknown }> {
  const headers = new Headers({ accept: "application/json" });
  for (const name of FORWARDED) {
    const value = c.req.header(name);
    if (value) headers.set(name, value);
  }
  let ctx: Context<AppEnv>["executionCtx"] | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // app.request() in tests has no execution context
  }
  const res = await (await selfApp()).request(path, { headers }, c.env, ctx);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

export interface SearchHit {
  model: string | null;
  sae: string;
  layer: number | null;
  index: number;
  explanation: string;
  score: number | null;
}

export interface SearchOutcome {
  hits: SearchHit[];
  error: string | null;
  /** Set when the asked mode could not run and lexical results are shown instead. */
  fallback: string | null;
}

const str = (v: unknown) => (typeof v === "string" ? v : null);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** One result row of /v1/search, read defensively: a malformed row is skipped, not shown half-empty. */
function toHit(raw: unknown): SearchHit | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const latent = (typeof r.latent === "object" && r.latent !== null ? r.latent : r) as Record<string, unknown>;
  const sae = str(latent.sae) ?? str(latent.source);
  const index = num(latent.index);
  const explanationField = r.explanation;
  const explanation =
    str(explanationField) ??
    (typeof explanationField === "object" && explanationField !== null ? str((explanationField as Record<string, unknown>).text) : null) ??
    str(r.text) ??
    str(r.description);
  if (sae === null || index === null || explanation === null) return null;
  return {
    model: str(latent.model) ?? str(latent.modelId) ?? str(r.model) ?? str(r.modelId),
    sae,
    layer: num(latent.layer) ?? num(r.layer),
    index,
    explanation,
    score: num(r.score) ?? num(r.cosine_similarity) ?? num(r.similarity),
  };
}

async function runSearch(c: Context<AppEnv>, params: { q: string; model?: string; mode: string; limit: number }) {
  const qs = new URLSearchParams({ q: params.q, limit: String(params.limit), mode: params.mode });
  if (params.model) qs.set("model", params.model);
  const { status, body } = await internalGet(c, `/v1/search?${qs}`);
  const message = (body as { error?: { message?: string } } | null)?.error?.message ?? `search answered ${status}`;
  const rows = (body as { results?: unknown } | null)?.results;
  const hits = Array.isArray(rows) ? rows.map(toHit).filter((h): h is SearchHit => h !== null) : [];
  return { status, hits, message };
}

export async function searchExplanations(
  c: Context<AppEnv>,
  params: { q: string; model?: string; mode: string; limit: number },
): Promise<SearchOutcome> {
  const first = await runSearch(c, params);
  if (first.status === 200) return { hits: first.hits, error: null, fallback: null };
  // Without the query encoder (503) lexical search still works; a page of it beats an error.
  if (first.status === 503 && params.mode !== "lexical") {
    const lexical = await runSearch(c, { ...params, mode: "lexical" });
    if (lexical.status === 200) return { hits: lexical.hits, error: null, fallback: `${params.mode} search is unavailable (${first.message}); showing lexical results` };
  }
  return { hits: [], error: first.message, fallback: null };
}
