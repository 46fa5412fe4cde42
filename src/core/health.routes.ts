// Liveness with one trivial D1 round trip: what monitoring polls, and the
// baseline the bench compares real reads against.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { errors, json } from "./schemas";

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["Meta"],
  summary: "Liveness: the Worker answers and D1 runs SELECT 1",
  responses: { 200: json(z.object({ ok: z.literal(true), db: z.number().int() }), "Healthy"), ...errors(401, 429, 503) },
});

export const healthRoutes = () =>
  createRouter().openapi(health, async (c) => {
    const row = await c.env.DB.prepare("SELECT 1 AS one").first<{ one: number }>();
    c.header("Cache-Control", "no-store");
    return c.json({ ok: true as const, db: row?.one ?? 0 }, 200);
  });
