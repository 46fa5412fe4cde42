import { describe, expect, it } from "vitest";
import { call, getJson } from "./helpers";

describe("HTTP behaviour", () => {
  it("answers a known path with the wrong method with 405 and Allow", async () => {
    const res = await call("/v1/models", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toContain("GET");
    const post = await call("/v1/latents/tiny-model/sae/1", { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("sends CORS headers on public routes and never on admin routes", async () => {
    const pub = await call("/v1/models", { headers: { Origin: "https://example.org" } });
    expect(pub.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const preflight = await call("/v1/latents/batch", {
      method: "OPTIONS",
      headers: { Origin: "https://example.org", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    const adm = await call("/admin/releases", { method: "OPTIONS", headers: { Origin: "https://example.org", "Access-Control-Request-Method": "GET" } });
    expect(adm.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("serves the OpenAPI document with every core route and the error schema", async () => {
    const { status, body } = await getJson("/openapi.json");
    expect(status).toBe(200);
    for (const path of [
      "/v1/models", "/v1/models/{model}", "/v1/models/{model}/saes", "/v1/models/{model}/saes/{sae}",
      "/v1/models/{model}/saes/{sae}/latents", "/v1/latents/{model}/{sae}/{index}", "/v1/latents/batch",
      "/api/feature/{modelId}/{source}/{index}", "/api/features", "/admin/releases", "/admin/keys",
    ]) {
      expect(body.paths[path], path).toBeDefined();
    }
    expect(body.paths["/v1/latents/{model}/{sae}/{index}"].get.responses["404"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    expect(body.components.securitySchemes.apiKey.scheme).toBe("bearer");
  });

  it("renders /docs as a self-contained page", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/v1/latents/{model}/{sae}/{index}");
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it("caps the URL length", async () => {
    const { status, body } = await getJson(`/v1/models?x=${"a".repeat(5000)}`);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/URL longer than/);
  });

  it("counts wrong keys against the caller's address", async () => {
    const headers = { "CF-Connecting-IP": "203.0.113.9", Authorization: "Bearer guess" };
    const statuses = new Set<number>();
    for (let i = 0; i < 700 && !statuses.has(429); i++) statuses.add((await call("/v1/models", { headers })).status);
    expect([...statuses].sort()).toEqual([401, 429]);
  });

  it("limits requests per client with 429 and Retry-After", async () => {
    const headers = { "CF-Connecting-IP": "203.0.113.7" };
    let limited: Response | undefined;
    for (let i = 0; i < 700 && !limited; i++) {
      const res = await call("/no/such/path", { headers });
      if (res.status === 429) limited = res;
    }
    expect(limited, "no 429 within 700 requests").toBeDefined();
    expect(Number(limited!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(((await limited!.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    const other = await call("/no/such/path", { headers: { "CF-Connecting-IP": "203.0.113.8" } });
    expect(other.status).toBe(404);
  });
});
