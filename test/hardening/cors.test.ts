// CORS is what docs/api.md says: reads and the Neuronpedia routes answer
// preflights and send Access-Control-Allow-Origin (any origin with "*", only
// listed ones otherwise, never with credentials); /admin sends no CORS headers.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { publicCors } from "../../src/middleware/cors";
import { call } from "../core/helpers";

const ORIGIN = "https://elsewhere.example";
const preflight = (path: string, method = "POST", origin = ORIGIN) =>
  call(path, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type, authorization" } });

describe("CORS of the Worker (CORS_ORIGINS = *)", () => {
  it("answers preflights of read and Neuronpedia routes", async () => {
    for (const [path, method] of [["/v1/models", "GET"], ["/v1/latents/batch", "POST"], ["/v1/search", "POST"], ["/api/features", "POST"], ["/api/explanation/search", "POST"]] as const) {
      const res = await preflight(path, method);
      expect(res.status, path).toBeLessThan(300);
      expect(res.headers.get("Access-Control-Allow-Origin"), path).toBe("*");
      expect(res.headers.get("Access-Control-Allow-Methods") ?? "", path).toContain(method);
      expect((res.headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase(), path).toContain("content-type");
      expect(res.headers.get("Access-Control-Allow-Credentials"), path).toBeNull();
    }
  });

  it("sends Access-Control-Allow-Origin and exposes the documented headers on reads", async () => {
    const res = await call("/v1/models", { headers: { Origin: ORIGIN } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const exposed = (res.headers.get("Access-Control-Expose-Headers") ?? "").toLowerCase();
    for (const h of ["etag", "x-request-id", "retry-after"]) expect(exposed).toContain(h);
  });

  it("sends no CORS headers at all from /admin, preflight or not, with or without a key", async () => {
    for (const path of ["/admin", "/admin/releases", "/admin/keys", "/admin/releases/1/commit"]) {
      for (const res of [await preflight(path, "POST"), await preflight(path, "DELETE"), await call(path, { headers: { Origin: ORIGIN } })]) {
        for (const [name] of res.headers) expect(name.toLowerCase().startsWith("access-control-"), `${path}: ${name}`).toBe(false);
      }
    }
  });

  it("does not open /admin through path tricks", async () => {
    for (const path of ["/admin/", "//admin/releases", "/v1/../admin/releases", "/ADMIN/releases", "/admin%2Freleases"]) {
      const res = await call(path, { headers: { Origin: ORIGIN } });
      const opensAdmin = res.status < 400 && res.headers.get("Access-Control-Allow-Origin") !== null;
      expect(opensAdmin, path).toBe(false);
    }
  });
});

describe("CORS with a list of origins", () => {
  const app = new Hono<{ Bindings: { CORS_ORIGINS: string } }>();
  app.use("*", publicCors() as never);
  app.get("/v1/models", (c) => c.json({ ok: true }));
  app.get("/admin/keys", (c) => c.json({ ok: true }));
  const env = { CORS_ORIGINS: "https://a.example, https://b.example" };
  const get = (path: string, origin: string) => app.request(path, { headers: { Origin: origin } }, env);

  it("echoes a listed origin and no other", async () => {
    expect((await get("/v1/models", "https://a.example")).headers.get("Access-Control-Allow-Origin")).toBe("https://a.example");
    expect((await get("/v1/models", "https://b.example")).headers.get("Access-Control-Allow-Origin")).toBe("https://b.example");
    for (const o of ["https://evil.example", "https://a.example.evil.example", "null", "http://a.example"]) {
      expect((await get("/v1/models", o)).headers.get("Access-Control-Allow-Origin"), o).toBeNull();
    }
  });

  it("varies on Origin so caches do not serve one origin's answer to another", async () => {
    const vary = (await get("/v1/models", "https://a.example")).headers.get("Vary") ?? "";
    expect(vary.toLowerCase()).toContain("origin");
  });

  it("keeps /admin closed for listed origins too", async () => {
    expect((await get("/admin/keys", "https://a.example")).headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
