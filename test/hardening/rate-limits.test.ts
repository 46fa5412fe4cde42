// Rate limits hold per client: one anonymous client exhausted, another still
// served; a keyed client counted apart from its address; 429 with Retry-After
// and the error body. RATE_LIMIT_ANON is 600/min (wrangler.toml); every test
// uses its own client addresses, since the limiter lives for the isolate.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { admin, call } from "../core/helpers";

const ANON_LIMIT = Number(env.RATE_LIMIT_ANON);
const from = (ip: string, headers: Record<string, string> = {}) => ({ headers: { "CF-Connecting-IP": ip, ...headers } });

/** Calls until refused; the bucket refills at limit/60 per second while we call, hence the margin. */
async function exhaust(ip: string, headers: Record<string, string> = {}): Promise<Response> {
  let last: Response | null = null;
  for (let i = 0; i <= ANON_LIMIT * 2; i++) {
    last = await call("/v1/models", from(ip, headers));
    if (last.status === 429) return last;
  }
  return last!;
}

describe("per-client rate limits", { timeout: 60_000 }, () => {
  // The Worker runs in this isolate, so freezing Date stops the buckets from
  // refilling between calls: on a slow machine a refill of one token between
  // two calls would otherwise let a refused client through by chance.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses an exhausted client with 429 and Retry-After while another client is served", async () => {
    expect(ANON_LIMIT).toBeGreaterThan(0);
    const refused = await exhaust("198.51.100.1");
    expect(refused.status).toBe(429);
    const served = await call("/v1/models", from("198.51.100.2"));
    expect(served.status).toBe(200);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.requestId).toBe(refused.headers.get("X-Request-Id"));
    // Still refused on the next call, and on other routes: the budget is per client, not per route.
    expect((await call("/v1/models", from("198.51.100.1"))).status).toBe(429);
    expect((await call("/openapi.json", from("198.51.100.1"))).status).toBe(429);
    const other = await call("/v1/models", from("198.51.100.2"));
    expect(other.status).toBe(200);
    expect(other.headers.get("X-RateLimit-Limit")).toBe(String(ANON_LIMIT));
  });

  it("serves a refused client again once Retry-After has passed", async () => {
    const refused = await exhaust("198.51.100.7");
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("Retry-After"));
    vi.setSystemTime(Date.now() + wait * 1000);
    expect((await call("/v1/models", from("198.51.100.7"))).status).toBe(200);
  });

  it("counts a keyed client apart from the address it calls from", async () => {
    expect((await exhaust("198.51.100.3")).status).toBe(429);
    const created = await admin("/admin/keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "rate", scope: "read" }) });
    const { key } = (await created.json()) as { key: string };
    const keyed = await call("/v1/models", from("198.51.100.3", { Authorization: `Bearer ${key}` }));
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get("X-RateLimit-Limit")).toBe(env.RATE_LIMIT_KEYED);
  });

  it("keeps limiting when the client adds a made-up X-Forwarded-For", async () => {
    expect((await exhaust("198.51.100.4")).status).toBe(429);
    const spoofed = await call("/v1/models", from("198.51.100.4", { "X-Forwarded-For": "203.0.113.77" }));
    expect(spoofed.status).toBe(429);
  });

  it("limits a client that keeps presenting wrong keys (key guessing)", async () => {
    let limited = false;
    for (let i = 0; i <= ANON_LIMIT * 2 && !limited; i++) {
      const res = await call("/admin/releases", from("198.51.100.5", { Authorization: `Bearer guess-${i}` }));
      limited = res.status === 429;
    }
    expect(limited).toBe(true);
    // Guessing from one address does not lock out another.
    expect((await call("/v1/models", from("198.51.100.6"))).status).toBe(200);
  });
});
