// CORS for the public read API only: the allowed origins come from
// CORS_ORIGINS ("*" or a comma-separated list). Admin routes never send CORS
// headers, so a browser page elsewhere cannot drive them with a visitor's key.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../env";

export const publicCors = (): MiddlewareHandler<AppEnv> =>
  async function publicCors(c, next) {
    if (c.req.path === "/admin" || c.req.path.startsWith("/admin/")) return next();
    const allowed = (c.env.CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
    const handler = cors({
      origin: allowed.includes("*") ? "*" : (origin) => (allowed.includes(origin) ? origin : null),
      allowMethods: ["GET", "HEAD", "POST", "OPTIONS"],
      allowHeaders: ["Content-Type", "Authorization", "X-Api-Key", "X-Request-Id", "If-None-Match"],
      exposeHeaders: ["ETag", "X-Request-Id", "Retry-After", "X-RateLimit-Limit", "Server-Timing"],
      maxAge: 86400,
    });
    return handler(c, next);
  };
