import { beforeAll, describe, expect, it } from "vitest";
import { MAX_PAGE } from "../../src/core/latents.routes";
import { buildBundle } from "../fixtures/small-bundle";
import { call, getJson, ingest } from "./helpers";

let release: number;
beforeAll(async () => {
  release = (await ingest(await buildBundle())).release;
});

describe("models and SAEs", () => {
  it("lists models with their live release", async () => {
    const { status, body } = await getJson("/v1/models");
    expect(status).toBe(200);
    expect(body.models).toHaveLength(1);
    expect(body.models[0]).toMatchObject({ id: "tiny-model", saeCount: 2, vocabSize: 16, release: { id: release, bundleId: "tiny-test-bundle" } });
  });

  it("returns one model, its SAEs by layer and one SAE with coverage", async () => {
    expect((await getJson("/v1/models/tiny-model")).body.release.embedding.dim).toBe(384);
    const saes = await getJson("/v1/models/tiny-model/saes");
    expect(saes.body.saes.map((s: { id: string }) => s.id)).toEqual(["3-res-test", "4-res-test"]);
    const sae = await getJson("/v1/models/tiny-model/saes/3-res-test");
    expect(sae.body).toMatchObject({ width: 8, layer: 3, latentsWithStats: 4, explainedLatents: 3, explanations: 4, stats: { fvu: 0.2 } });
  });

  it("answers unknown models and SAEs with 404 and bad ids with 400", async () => {
    expect((await getJson("/v1/models/no-such-model")).status).toBe(404);
    expect((await getJson("/v1/models/tiny-model/saes/nope")).status).toBe(404);
    const bad = await getJson("/v1/models/Bad%20Model");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("BAD_REQUEST");
    const sql = await getJson(`/v1/models/${encodeURIComponent("x' OR '1'='1")}/saes`);
    expect(sql.status).toBe(400);
    const saeSql = await getJson(`/v1/latents/tiny-model/${encodeURIComponent("3-res-test' --")}/0`);
    expect(saeSql.status).toBe(400);
    // Well-formed ids that merely look like SQL are just ids that do not exist.
    expect((await getJson("/v1/models/tiny-model/saes/1-OR-1")).status).toBe(404);
  });
});

describe("latent listing", () => {
  it("pages through every latent with an opaque cursor", async () => {
    const first = await getJson("/v1/models/tiny-model/saes/3-res-test/latents?limit=3");
    expect(first.status).toBe(200);
    expect(first.body.latents.map((l: { index: number }) => l.index)).toEqual([0, 1, 2]);
    expect(first.body.latents[0].explanation).toBe("legal citations and court cases");
    const second = await getJson(`/v1/models/tiny-model/saes/3-res-test/latents?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.latents.map((l: { index: number }) => l.index)).toEqual([3]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("refuses limits past the cap, bad cursors and junk with 400", async () => {
    for (const query of [`limit=${MAX_PAGE + 1}`, "limit=0", "limit=abc", "limit=1e9", "cursor=not-a-cursor", "cursor=eyJhZnRlciI6ImEifQ"]) {
      const { status, body } = await getJson(`/v1/models/tiny-model/saes/3-res-test/latents?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });
});

describe("latent detail", () => {
  it("returns explanations with scores, stats, examples, decodings and matches in one call", async () => {
    const { status, body, res } = await getJson("/v1/latents/tiny-model/3-res-test/0");
    expect(status).toBe(200);
    expect(res.headers.get("ETag")).toContain(`r${release}`);
    expect(res.headers.get("Cache-Control")).toMatch(/public, max-age=\d+/);
    expect(body).toMatchObject({ model: "tiny-model", sae: "3-res-test", layer: 3, index: 0, density: 0.01, maxActivation: 2, release });
    expect(body.explanations.map((e: { text: string }) => e.text)).toEqual(["legal citations and court cases", "court rulings"]);
    expect(body.explanations[0].scores.map((s: { scorer: string }) => s.scorer)).toEqual(["detection", "fuzz"]);
    expect(body.examples).toHaveLength(4);
    expect(body.examples[0]).toMatchObject({ kind: "top", rank: 0, tokens: ["The", " court", " ruled"] });
    expect(body.examples[3]).toMatchObject({ kind: "quantile", quantile: 2 });
    expect(body.decodings[0].top).toEqual([{ id: 4, token: " court", value: 2.5 }, { id: 5, token: " law", value: 1.5 }]);
    expect(body.decodings[0].bottom[0]).toEqual({ id: 11, token: " blue", value: -1.2 });
    expect(body.matches[0]).toMatchObject({ sae: "4-res-test", layer: 4, index: 2, method: "decoder_cosine", score: 0.91, explanation: "celestial bodies: sun, moon and stars" });
    expect(body.unavailable).toEqual([]);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const first = await call("/v1/latents/tiny-model/3-res-test/1");
    const etag = first.headers.get("ETag")!;
    const again = await call("/v1/latents/tiny-model/3-res-test/1", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const stale = await call("/v1/latents/tiny-model/3-res-test/1", { headers: { "If-None-Match": 'W/"fa1-r999"' } });
    expect(stale.status).toBe(200);
  });

  it("gives a clear 404 for a latent past the SAE's width and 400 for a bad index", async () => {
    const missing = await getJson("/v1/latents/tiny-model/3-res-test/8");
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/has 8 latents/);
    for (const index of ["-1", "abc", "1.5", "99999999999", "1;DROP TABLE latents"]) {
      expect((await getJson(`/v1/latents/tiny-model/3-res-test/${encodeURIComponent(index)}`)).status, index).toBe(400);
    }
  });

  it("serves a latent without examples and degrades when an examples blob is missing", async () => {
    const plain = await getJson("/v1/latents/tiny-model/4-res-test/2");
    expect(plain.body.examples).toEqual([]);
    expect(plain.body.explanations).toHaveLength(1);
    const { env } = await import("cloudflare:workers");
    const keys = await env.BLOBS.list({ prefix: `releases/${release}/examples/` });
    await env.BLOBS.delete(keys.objects.map((o) => o.key));
    const degraded = await getJson("/v1/latents/tiny-model/3-res-test/0");
    expect(degraded.status).toBe(200);
    expect(degraded.body.unavailable).toEqual(["examples"]);
    expect(degraded.body.explanations).toHaveLength(2);
  });
});

describe("batch lookup", () => {
  const post = (body: unknown) =>
    call("/v1/latents/batch", { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  it("returns results in request order, with errors for latents that do not exist", async () => {
    const res = await post({
      latents: [
        { model: "tiny-model", sae: "4-res-test", index: 0 },
        { model: "tiny-model", sae: "3-res-test", index: 99 },
        { model: "other-model", sae: "3-res-test", index: 0 },
        { model: "tiny-model", sae: "3-res-test", index: 1 },
      ],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { latent: { index: number; explanations: unknown[] } | null; error: string | null }[] };
    expect(results.map((r) => r.latent?.index ?? null)).toEqual([0, null, null, 1]);
    expect(results[1]!.error).toMatch(/does not exist/);
    expect(results[2]!.error).toMatch(/no model other-model/);
    expect(results[3]!.latent!.explanations).toHaveLength(1);
  });

  it("refuses malformed JSON, empty and oversized batches, unknown keys and huge bodies", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ latents: [] })).status).toBe(400);
    expect((await post({ latents: [], extra: 1 })).status).toBe(400);
    const many = Array.from({ length: 101 }, (_, index) => ({ model: "tiny-model", sae: "3-res-test", index }));
    expect((await post({ latents: many })).status).toBe(400);
    expect((await post({ latents: [{ model: "tiny-model", sae: "3-res-test", index: 0, evil: "x" }] })).status).toBe(400);
    const huge = await post({ latents: [{ model: "x".repeat(70_000), sae: "a", index: 0 }] });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});
