// Request size caps: bundle parts may be large, everything else is small.
// Checked before any handler reads the body. URLs are capped too, so a
// query string cannot smuggle a body-sized payload past the body limit.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

export const ADMIN_BODY_LIMIT = 16 * 1024 * 1024;
export const PUBLIC_BODY_LIMIT = 64 * 1024;
export const URL_LIMIT = 4096;

export const bodyLimits = (): MiddlewareHandler<AppEnv> => {
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", `request body over the ${maxSize} byte limit`);
      },
    });
  const admin = limiter(ADMIN_BODY_LIMIT);
  const pub = limiter(PUBLIC_BODY_LIMIT);
  return async function bodyLimits(c, next) {
    if (c.req.url.length > URL_LIMIT) throw new ApiError("BAD_REQUEST", `URL longer than ${URL_LIMIT} characters`);
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return c.req.path.startsWith("/admin/") ? admin(c, next) : pub(c, next);
  };
};
