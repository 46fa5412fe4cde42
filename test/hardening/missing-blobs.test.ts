// A blob missing from R2 degrades the answers that need it, with a clear sign,
// and nothing else: the Worker keeps serving every other route.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBundle } from "../fixtures/small-bundle";
import { call, ingest } from "../core/helpers";

const M = "blob-model";
let release = 0;

beforeAll(async () => {
  const result = await ingest(await buildBundle({ bundleId: "blob-bundle", modelId: M }));
  expect(result.committed).toBe(true);
  release = result.release;
  const listed = await env.BLOBS.list({ prefix: `releases/${release}/examples/` });
  expect(listed.objects.length).toBeGreaterThan(0);
  for (const o of listed.objects) await env.BLOBS.delete(o.key);
  const search = await env.BLOBS.list({ prefix: `releases/${release}/search/` });
  for (const o of search.objects) await env.BLOBS.delete(o.key);
});

describe("missing R2 objects", () => {
  it("answers latent detail with its examples named as unavailable", async () => {
    const res = await call(`/v1/latents/${M}/3-res-test/0`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { examples: unknown[]; unavailable: string[]; explanations: unknown[] };
    expect(body.unavailable).toContain("examples");
    expect(body.examples).toEqual([]);
    expect(body.explanations.length).toBeGreaterThan(0);
  });

  it("answers semantic search with 503 UNAVAILABLE and lexical search as usual", async () => {
    const semantic = await call(`/v1/search?q=court&mode=semantic&model=${M}`);
    expect(semantic.status).toBe(503);
    expect(((await semantic.json()) as { error: { code: string } }).error.code).toBe("UNAVAILABLE");
    const lexical = await call(`/v1/search?q=court&mode=lexical&model=${M}`);
    expect(lexical.status).toBe(200);
    expect(((await lexical.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
  });

  it("keeps every other route answering", async () => {
    for (const path of ["/v1/models", `/v1/models/${M}/saes`, `/v1/models/${M}/saes/3-res-test/latents`, "/openapi.json", `/models/${M}/saes/3-res-test/0`]) {
      expect((await call(path)).status, path).toBe(200);
    }
    const batch = await call("/v1/latents/batch", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ latents: [{ model: M, sae: "3-res-test", index: 0 }], examples: true }),
    });
    expect(batch.status).toBe(200);
    const body = (await batch.json()) as { results: { latent: { unavailable: string[] } }[] };
    expect(body.results[0]!.latent.unavailable).toContain("examples");
  });

  // Finding H4 (docs/hardening-findings.md): the Neuronpedia-shaped answer
  // drops the examples without any sign that they are missing.
  it("H4: says so when a Neuronpedia feature's activations are unavailable", async () => {
    const res = await call(`/api/feature/${M}/3-res-test/0`);
    const flagged = [...res.headers].some(([name, value]) => name.startsWith("x-") && /unavailable/i.test(`${name} ${value}`));
    expect(res.status === 503 || flagged).toBe(true);
  });
});
