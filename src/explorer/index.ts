// The explorer: server-rendered HTML pages at / for people, reading the same
// services as the /v1 routes. No script and no external asset: a strict
// Content-Security-Policy forbids both, so even a missed escape cannot run code.
import type { Context } from "hono";
import { liveMatches } from "../compare/live-matches";
import { storedMatches } from "../compare/matches";
import { type PairMeasure, type PairMethod, pairSummaries, similarityMatrix } from "../compare/pairs";
import { checkIndex, listSaes, resolveModel, resolveSae } from "../compare/release";
import { featureDecodings } from "../decode/decodings";
import { noVocabularyMessage, resolveLookupTokens, tokenPromoters } from "../decode/token-lookup";
import { hasVocabulary, suggestTokens } from "../decode/vocab";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { createRouter } from "../router";
import { searchExplanations } from "./api-client";
import { activeModels, latentExamples, latentExplanations, latentStats } from "./data";
import { ErrorPage } from "./layout";
import { HomePage } from "./pages/home";
import { LatentPage } from "./pages/latent";
import { ModelPage } from "./pages/model";
import { PairPage } from "./pages/pair";
import { type TokensProps, TokensPage } from "./pages/tokens";

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SAE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const INDEX = /^\d{1,9}$/;

function need(ok: boolean, what: string): void {
  if (!ok) throw new ApiError("BAD_REQUEST", what);
}

type Render = Parameters<Context<AppEnv>["html"]>[0];

async function page(c: Context<AppEnv>, build: () => Promise<Render>): Promise<Response> {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  try {
    return c.html(await build());
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) throw err;
    return c.html(ErrorPage({ status: err.status, message: err.message }), err.status);
  }
}

const choice = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

export const explorerRoutes = () => {
  const app = createRouter();

  app.get("/", (c) =>
    page(c, async () => {
      const q = (c.req.query("q") ?? "").trim().slice(0, 500);
      const model = c.req.query("model") ?? "";
      const mode = choice(c.req.query("mode"), ["hybrid", "semantic", "lexical"] as const, "hybrid");
      const models = await activeModels(c.env);
      const chosen = MODEL_ID.test(model) ? model : "";
      let outcome = q ? await searchExplanations(c, { q, model: chosen || undefined, mode, limit: 20 }) : null;
      if (outcome && chosen) outcome = { ...outcome, hits: outcome.hits.map((h) => ({ ...h, model: h.model ?? chosen })) };
      if (outcome && !chosen && models.length === 1) outcome = { ...outcome, hits: outcome.hits.map((h) => ({ ...h, model: h.model ?? models[0]!.id })) };
      return HomePage({ models, query: { q, model: chosen, mode }, outcome });
    }),
  );

  app.get("/models/:model", (c) =>
    page(c, async () => {
      const model = c.req.param("model");
      need(MODEL_ID.test(model), "model id must match [a-z0-9][a-z0-9._-]{0,63}");
      const scope = await resolveModel(c.env, model);
      const method = choice(c.req.query("method"), ["decoder_cosine", "explanation_cosine"] as const, "decoder_cosine") as PairMethod;
      const measure = choice(c.req.query("measure"), ["matchedFraction", "meanMatchedScore", "medianMatchedScore"] as const, "meanMatchedScore") as PairMeasure;
      const saes = await listSaes(c.env, scope);
      let matrix = null;
      let matrixError: string | null = null;
      try {
        matrix = await similarityMatrix(c.env, scope, method, measure);
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== "NOT_FOUND") throw err;
        matrixError = err.message;
      }
      return ModelPage({ model, saes, method, measure, matrix, matrixError });
    }),
  );

  app.get("/models/:model/compare/:a/:b", (c) =>
    page(c, async () => {
      const { model, a, b } = c.req.param();
      need(MODEL_ID.test(model) && SAE_ID.test(a) && SAE_ID.test(b), "malformed model or SAE id");
      const scope = await resolveModel(c.env, model);
      const [sa, sb] = await Promise.all([resolveSae(c.env, scope, a), resolveSae(c.env, scope, b)]);
      return PairPage({ model, a, b, pairs: await pairSummaries(c.env, scope, sa, sb) });
    }),
  );

  app.get("/models/:model/saes/:sae/:index", (c) =>
    page(c, async () => {
      const { model, sae: saeId, index: rawIndex } = c.req.param();
      need(MODEL_ID.test(model) && SAE_ID.test(saeId), "malformed model or SAE id");
      need(INDEX.test(rawIndex), "the feature index must be a non-negative integer");
      const index = Number(rawIndex);
      const scope = await resolveModel(c.env, model);
      const sae = await resolveSae(c.env, scope, saeId);
      checkIndex(sae, index);
      const [stats, explanations, examples, decodings, matches, saes] = await Promise.all([
        latentStats(c.env, scope, sae.id, index),
        latentExplanations(c.env, scope, sae.id, index),
        latentExamples(c.env, scope, sae.id, index),
        featureDecodings(c.env, scope, sae, index, undefined, 10),
        storedMatches(c.env, scope, sae, index, { methods: ["decoder_cosine", "explanation_cosine", "hungarian_decoder"], limit: 3 }),
        listSaes(c.env, scope),
      ]);
      const others = saes.filter((s) => s.id !== sae.id && s.kind === sae.kind);
      const liveTarget = c.req.query("live");
      let live = null;
      if (liveTarget !== undefined) {
        try {
          need(SAE_ID.test(liveTarget), "malformed SAE id");
          const target = await resolveSae(c.env, scope, liveTarget);
          live = { target: target.id, matches: await liveMatches(c.env, scope, sae, index, target, 5), error: null };
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          live = { target: liveTarget, matches: [], error: err.message };
        }
      }
      return LatentPage({ model, sae, index, stats, explanations, examples, decodings, matches, others, live });
    }),
  );

  app.get("/models/:model/tokens", (c) =>
    page(c, async () => {
      const model = c.req.param("model");
      need(MODEL_ID.test(model), "model id must match [a-z0-9][a-z0-9._-]{0,63}");
      const scope = await resolveModel(c.env, model);
      const token = (c.req.query("token") ?? "").slice(0, 256);
      const mode = choice(c.req.query("match"), ["exact", "prefix"] as const, "exact");
      const props: TokensProps = { model, token, mode, tokens: [], groups: [], error: null, suggestions: [] };
      if (token === "") return TokensPage(props);
      if (!(await hasVocabulary(c.env, scope))) {
        c.status(404);
        return TokensPage({ ...props, error: noVocabularyMessage(model) });
      }
      const query = mode === "exact" ? { token, limit: 20 } : { prefix: token, limit: 20 };
      try {
        props.tokens = await resolveLookupTokens(c.env, scope, query);
        props.groups = await tokenPromoters(c.env, scope, props.tokens, query);
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== "NOT_FOUND") throw err;
        props.error = mode === "exact" ? `The vocabulary of ${model} has no token ${JSON.stringify(token)}.` : err.message;
        if (mode === "exact") props.suggestions = await suggestTokens(c.env, scope, token);
        c.status(404);
      }
      return TokensPage(props);
    }),
  );

  return app;
};
