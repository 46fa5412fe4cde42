import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "../../src/middleware/rate-limit";
import { admin, ADMIN_KEY, call } from "./helpers";

const json = (body: unknown) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("API keys and admin routes", () => {
  it("refuses admin routes without a key, with a wrong key and with a read key", async () => {
    expect((await call("/admin/releases")).status).toBe(401);
    expect((await call("/admin/releases", { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await call("/admin/releases", { headers: { Authorization: `Bearer ${ADMIN_KEY}x` } })).status).toBe(401);
    const created = (await (await admin("/admin/keys", json({ name: "reader", scope: "read" }))).json()) as { id: string; key: string };
    expect(created.key).toMatch(/^fa_[0-9a-f]{16}_/);
    const res = await call("/admin/releases", { headers: { Authorization: `Bearer ${created.key}` } });
    expect(res.status).toBe(403);
  });

  it("stores only hashes, accepts a read key on reads and refuses it once revoked", async () => {
    const { id, key } = (await (await admin("/admin/keys", json({ name: "tool" }))).json()) as { id: string; key: string };
    const { env } = await import("cloudflare:workers");
    const stored = await env.DB.prepare("SELECT hash FROM api_keys WHERE id = ?").bind(id).first<{ hash: string }>();
    expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.hash).not.toContain(key.slice(20));
    const ok = await call("/v1/models", { headers: { "X-Api-Key": key } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("X-RateLimit-Limit")).toBe("6000");
    expect((await call("/v1/models")).headers.get("X-RateLimit-Limit")).toBe("600");
    expect((await admin(`/admin/keys/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call("/v1/models", { headers: { "X-Api-Key": key } })).status).toBe(401);
    const listed = (await (await admin("/admin/keys")).json()) as { keys: { id: string; revokedAt: string | null }[] };
    expect(listed.keys.find((k) => k.id === id)!.revokedAt).not.toBeNull();
    expect((await admin("/admin/keys/0123456789abcdef", { method: "DELETE" })).status).toBe(404);
    expect((await admin("/admin/keys/../../x", { method: "DELETE" })).status).toBeGreaterThanOrEqual(400);
  });

  it("refuses malformed admin bodies", async () => {
    expect((await admin("/admin/keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" })).status).toBe(400);
    expect((await admin("/admin/keys", json({ name: "x", scope: "root" }))).status).toBe(400);
    expect((await admin("/admin/releases", json({ manifest: "{}" }))).status).toBe(422);
    expect((await admin("/admin/releases/abc")).status).toBe(400);
    expect((await admin("/admin/releases/12345")).status).toBe(404);
  });
});

describe("token bucket", () => {
  it("allows the per-minute allowance, then refuses with a wait, and refills over time", async () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(() => now);
    for (let i = 0; i < 60; i++) expect((await limiter.take("a", 60)).ok).toBe(true);
    const refused = await limiter.take("a", 60);
    expect(refused).toEqual({ ok: false, retryAfter: 1 });
    expect((await limiter.take("b", 60)).ok).toBe(true);
    now += 1000;
    expect((await limiter.take("a", 60)).ok).toBe(true);
    expect((await limiter.take("a", 60)).ok).toBe(false);
  });
});
