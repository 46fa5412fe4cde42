// "More like this": latents whose explanations are nearest to a latent's.
import { createRoute, z } from "@hono/zod-openapi";
import { errors, IndexParam, json, ModelIdParam, SaeIdParam } from "../core/schemas";
import { createRouter } from "../router";
import { similarLatents } from "./nearest";
import { SimilarQuerySchema, SimilarResponseSchema } from "./schemas";
import { hitJson } from "./search.routes";

const getSimilar = createRoute({
  method: "get",
  path: "/v1/latents/{model}/{sae}/{index}/similar",
  tags: ["Search"],
  summary: "Latents whose explanations mean the same as this latent's",
  description:
    "Nearest explanations (cosine of their embeddings) to the latent's own, one result per latent, the latent itself left out. " +
    "`sae` looks in another SAE of the same model (for example the next layer's) instead of all of them.",
  request: { params: z.object({ model: ModelIdParam, sae: SaeIdParam, index: IndexParam }), query: SimilarQuerySchema },
  responses: { 200: json(SimilarResponseSchema, "The nearest latents"), ...errors(400, 401, 404, 429, 503) },
});

export const similarRoutes = () =>
  createRouter().openapi(getSimilar, async (c) => {
    const { model, sae, index } = c.req.valid("param");
    const q = c.req.valid("query");
    const hits = await similarLatents(c.env, { model, sae, index, targetSae: q.sae, limit: q.limit, minScore: q.min_score });
    return c.json({ model, sae, index, results: hits.map(hitJson) }, 200);
  });
