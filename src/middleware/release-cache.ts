// Data of a release never changes once it is active, so responses built from
// it carry an ETag naming the release(s) they were read from; a client that
// already holds that ETag gets 304 and no body. A new release changes the
// ETag, so caches never serve a mixture.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

/** Bumped when response shapes change, so caches do not keep bodies of an older API. */
const SHAPE_VERSION = 1;
const MAX_AGE_S = 300;

export function markReleaseData(c: Context<AppEnv>, releases: number[]): void {
  const tag = releases.length ? [...releases].sort((a, b) => a - b).join(".") : "none";
  c.header("ETag", `W/"fa${SHAPE_VERSION}-r${tag}"`);
  c.header("Cache-Control", `public, max-age=${MAX_AGE_S}`);
}

function matches(ifNoneMatch: string, etag: string): boolean {
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

export const releaseCache = (): MiddlewareHandler<AppEnv> =>
  async function releaseCache(c, next) {
    await next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return;
    const etag = c.res.headers.get("ETag");
    const ifNoneMatch = c.req.header("If-None-Match");
    if (c.res.status !== 200 || !etag || !ifNoneMatch || !matches(ifNoneMatch, etag)) return;
    const headers = new Headers(c.res.headers);
    headers.delete("Content-Type");
    headers.delete("Content-Length");
    c.res = new Response(null, { status: 304, headers });
  };
