import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

// A caller-supplied id is kept only if it is short and plain, so it can be
// echoed in headers and logs without becoming an injection vector.
const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

export const requestId = ({ headerName = "X-Request-Id" } = {}): MiddlewareHandler<AppEnv> =>
  async function requestId(c, next) {
    const given = c.req.header(headerName);
    const id = given && SAFE_ID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    c.header(headerName, id);
    await next();
  };
