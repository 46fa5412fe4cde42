// LM-head decoding: a feature's top tokens, and the reverse lookup token -> features.
import { ApiError } from "../errors";
import { markReleaseData } from "../middleware/release-cache";
import { createRouter } from "../router";
import { type ModelScope, type SaeInfo, checkIndex, resolveModel, resolveNeuronSet, resolveSae } from "../compare/release";
import type { Env } from "../env";
import { type Direction, featureDecodings } from "./decodings";
import { decodingsRoute, neuronDecodingsRoute, promotersRoute, vocabRoute } from "./routes";
import { resolveLookupTokens, tokenPromoters } from "./token-lookup";
import { exactTokens, prefixTokens, suggestTokens } from "./vocab";

async function decodingsBody(env: Env, scope: ModelScope, sae: SaeInfo, index: number, direction: Direction | undefined, limit: number) {
  checkIndex(sae, index);
  const decodings = await featureDecodings(env, scope, sae, index, direction, limit);
  if (decodings.length === 0) {
    const which = direction ? ` in direction ${direction}` : "";
    throw new ApiError("NOT_FOUND", `no LM-head decoding stored for ${sae.id}/${index}${which}`);
  }
  return { model: scope.modelId, sae: sae.id, layer: sae.layer, kind: sae.kind, index, decodings };
}

export const decodeRoutes = () => {
  const app = createRouter();

  app.openapi(decodingsRoute, async (c) => {
    const { model, sae: saeId, index } = c.req.valid("param");
    const { direction, limit } = c.req.valid("query");
    const scope = await resolveModel(c.env, model);
    const sae = await resolveSae(c.env, scope, saeId);
    markReleaseData(c, [scope.release]);
    return c.json(await decodingsBody(c.env, scope, sae, index, direction, limit), 200);
  });

  app.openapi(neuronDecodingsRoute, async (c) => {
    const { model, layer, index } = c.req.valid("param");
    const { direction, limit } = c.req.valid("query");
    const scope = await resolveModel(c.env, model);
    const set = await resolveNeuronSet(c.env, scope, layer);
    markReleaseData(c, [scope.release]);
    return c.json(await decodingsBody(c.env, scope, set, index, direction, limit), 200);
  });

  app.openapi(promotersRoute, async (c) => {
    const { model } = c.req.valid("param");
    const { token_id: tokenId, ...rest } = c.req.valid("query");
    const q = { ...rest, tokenId };
    const scope = await resolveModel(c.env, model);
    const tokens = await resolveLookupTokens(c.env, scope, q);
    const groups = await tokenPromoters(c.env, scope, tokens, q);
    const match = q.token !== undefined ? ("exact" as const) : q.prefix !== undefined ? ("prefix" as const) : ("id" as const);
    markReleaseData(c, [scope.release]);
    return c.json({ model, match, tokens, groups }, 200);
  });

  app.openapi(vocabRoute, async (c) => {
    const { model } = c.req.valid("param");
    const { token, prefix, limit } = c.req.valid("query");
    if ((token === undefined) === (prefix === undefined)) throw new ApiError("BAD_REQUEST", "give exactly one of token or prefix");
    const scope = await resolveModel(c.env, model);
    markReleaseData(c, [scope.release]);
    if (prefix !== undefined) return c.json({ model, tokens: await prefixTokens(c.env, scope, prefix, limit), suggestions: [] }, 200);
    const tokens = await exactTokens(c.env, scope, [token!]);
    const suggestions = tokens.length ? [] : await suggestTokens(c.env, scope, token!, Math.min(limit, 20));
    return c.json({ model, tokens, suggestions }, 200);
  });

  return app;
};
