// Per-client request limits. The limiter is an interface so a deployment can
// back it with the Workers Rate Limiting binding; the default is a token
// bucket per isolate (each isolate enforces the limit on its own share of
// traffic, which is what local mode and tests need).
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

export interface RateLimiter {
  /** Takes one request from `client`'s allowance; returns seconds to wait when none is left. */
  take(client: string, perMinute: number): Promise<{ ok: true } | { ok: false; retryAfter: number }>;
}

export class TokenBucketLimiter implements RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly maxClients = 10_000,
  ) {}

  async take(client: string, perMinute: number) {
    const now = this.now();
    const rate = perMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    if (this.buckets.size >= this.maxClients && !this.buckets.has(client)) this.evictFull(now, rate, perMinute);
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true } as const;
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)) } as const;
  }

  /** Forgets clients whose buckets have refilled; they would start full anyway. */
  private evictFull(now: number, rate: number, perMinute: number) {
    for (const [client, b] of this.buckets) {
      if (b.tokens + (now - b.at) * rate >= perMinute) this.buckets.delete(client);
    }
  }
}

/** The default limiter of this isolate, shared by every middleware that counts requests. */
export const isolateLimiter = new TokenBucketLimiter();

/** Takes one request from `client`'s allowance, throwing 429 with Retry-After when none is left. */
export async function spend(limiter: RateLimiter, client: string, perMinute: number): Promise<void> {
  const verdict = await limiter.take(client, perMinute);
  if (!verdict.ok) {
    throw new ApiError("RATE_LIMITED", `rate limit of ${perMinute} requests per minute exceeded; retry in ${verdict.retryAfter} s`, {
      "Retry-After": String(verdict.retryAfter),
    });
  }
}

export const anonymousLimit = (env: { RATE_LIMIT_ANON: string }) => Number(env.RATE_LIMIT_ANON) || 600;

export const rateLimit = ({ limiter = isolateLimiter as RateLimiter } = {}): MiddlewareHandler<AppEnv> =>
  async function rateLimit(c, next) {
    const keyed = c.get("keyScope") !== null;
    const perMinute = keyed ? Number(c.env.RATE_LIMIT_KEYED) || 6000 : anonymousLimit(c.env);
    c.header("X-RateLimit-Limit", String(perMinute));
    await spend(limiter, c.get("clientId"), perMinute);
    return next();
  };
