// Resolves the caller once per request: a valid key sets clientId to the key
// id; no key means an anonymous reader keyed by address. A key that is
// presented but wrong or revoked is refused outright rather than silently
// downgraded, so a misconfigured client notices.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { presentedKey, verifyApiKey } from "./api-keys";
import { anonymousLimit, isolateLimiter, spend } from "./rate-limit";

export const authenticate = (): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const key = presentedKey(c.req);
    const address = `ip:${c.req.header("CF-Connecting-IP") ?? "local"}`;
    if (key === undefined) {
      c.set("keyScope", null);
      c.set("clientId", address);
      return next();
    }
    const identity = await verifyApiKey(c.env, key);
    if (!identity) {
      // A wrong key costs the caller's address an anonymous request, so guessing keys is rate limited too.
      await spend(isolateLimiter, address, anonymousLimit(c.env));
      throw new ApiError("UNAUTHORIZED", "the API key is not valid (unknown, malformed or revoked)");
    }
    c.set("keyScope", identity.scope);
    c.set("clientId", `key:${identity.id}`);
    return next();
  };

export const requireAdmin = (): MiddlewareHandler<AppEnv> =>
  async function requireAdmin(c, next) {
    const scope = c.get("keyScope");
    if (scope === null || scope === undefined) throw new ApiError("UNAUTHORIZED", "admin routes need an API key with admin scope");
    if (scope !== "admin") throw new ApiError("FORBIDDEN", "this API key has read scope; admin routes need admin scope");
    return next();
  };
