import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { MODEL, getJson, seed } from "./seed";

interface Spec { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }

describe("compare and decode routes in the OpenAPI document", () => {
  it("documents every route with its parameters", async () => {
    const { status, body } = await getJson<Spec>("/openapi.json");
    expect(status).toBe(200);
    const expected: Record<string, string[]> = {
      "/v1/models/{model}/saes/{sae}/latents/{index}/matches": ["model", "sae", "index", "target", "method", "limit"],
      "/v1/models/{model}/saes/{sae}/latents/{index}/matches/live": ["target", "limit"],
      "/v1/models/{model}/saes/{sae}/compare/{other}": ["other", "method"],
      "/v1/models/{model}/similarity": ["method", "measure", "site"],
      "/v1/models/{model}/saes/{sae}/latents/{index}/decodings": ["direction", "limit"],
      "/v1/models/{model}/neurons/{layer}/{index}/decodings": ["layer", "index"],
      "/v1/models/{model}/tokens/promoters": ["token", "prefix", "direction", "kind", "limit"],
      "/v1/models/{model}/tokens": ["token", "prefix"],
    };
    for (const [path, params] of Object.entries(expected)) {
      const op = body.paths[path]?.get;
      expect(op, path).toBeDefined();
      const names = (op!.parameters ?? []).map((p) => p.name);
      for (const name of params) expect(names, `${path} ${name}`).toContain(name);
    }
  });

  it("marks release data cacheable and answers a matching If-None-Match with 304", async () => {
    await seed();
    const worker = (exports as unknown as { default: { fetch: (u: string, i?: RequestInit) => Promise<Response> } }).default;
    const url = `http://atlas.test/v1/models/${MODEL}/similarity`;
    const first = await worker.fetch(url);
    const etag = first.headers.get("ETag");
    expect(etag).toBeTruthy();
    const again = await worker.fetch(url, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
  });
});
