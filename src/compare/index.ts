// Cross-SAE comparison: stored and live matches of a latent, pair summaries
// and the layer x layer similarity matrix.
import { markReleaseData } from "../middleware/release-cache";
import { createRouter } from "../router";
import { liveMatches } from "./live-matches";
import { storedMatches } from "./matches";
import { pairSummaries, similarityMatrix } from "./pairs";
import type { MatchMethod } from "./params";
import { checkIndex, resolveModel, resolveSae } from "./release";
import { liveMatchesRoute, matchesRoute, matrixRoute, pairRoute } from "./routes";

const METHOD_SETS: Record<string, MatchMethod[]> = {
  both: ["decoder_cosine", "explanation_cosine"],
  all: ["decoder_cosine", "explanation_cosine", "hungarian_decoder"],
};

export const compareRoutes = () => {
  const app = createRouter();

  app.openapi(matchesRoute, async (c) => {
    const { model, sae: saeId, index } = c.req.valid("param");
    const { target, method, limit } = c.req.valid("query");
    const scope = await resolveModel(c.env, model);
    const sae = await resolveSae(c.env, scope, saeId);
    checkIndex(sae, index);
    const methods = METHOD_SETS[method] ?? [method as MatchMethod];
    const matches = await storedMatches(c.env, scope, sae, index, { target, methods, limit });
    markReleaseData(c, [scope.release]);
    return c.json({ model, sae: sae.id, layer: sae.layer, index, source: "stored" as const, matches }, 200);
  });

  app.openapi(liveMatchesRoute, async (c) => {
    const { model, sae: saeId, index } = c.req.valid("param");
    const { target, limit } = c.req.valid("query");
    const scope = await resolveModel(c.env, model);
    const sae = await resolveSae(c.env, scope, saeId);
    checkIndex(sae, index);
    const other = await resolveSae(c.env, scope, target);
    const matches = await liveMatches(c.env, scope, sae, index, other, limit);
    markReleaseData(c, [scope.release]);
    return c.json({ model, sae: sae.id, layer: sae.layer, index, source: "live" as const, matches }, 200);
  });

  app.openapi(pairRoute, async (c) => {
    const { model, sae, other } = c.req.valid("param");
    const { method } = c.req.valid("query");
    const scope = await resolveModel(c.env, model);
    const [a, b] = await Promise.all([resolveSae(c.env, scope, sae), resolveSae(c.env, scope, other)]);
    const pairs = await pairSummaries(c.env, scope, a, b, method);
    markReleaseData(c, [scope.release]);
    return c.json({ model, pairs }, 200);
  });

  app.openapi(matrixRoute, async (c) => {
    const { model } = c.req.valid("param");
    const { method, measure, site } = c.req.valid("query");
    const scope = await resolveModel(c.env, model);
    const matrix = await similarityMatrix(c.env, scope, method, measure, site);
    markReleaseData(c, [scope.release]);
    return c.json({ model, ...matrix }, 200);
  });

  return app;
};
