import { beforeAll, describe, expect, it } from "vitest";
import { call, getJson } from "../core/helpers";
import { IN_B, MODEL, SAE_A, SAE_B, seedSearch } from "./search-bundle";

type Hit = { sae: string; index: number; score: number; explanation: { text: string }; semantic: { rank: number; cosine: number } };
let sample: Awaited<ReturnType<typeof seedSearch>>;

beforeAll(async () => {
  sample = await seedSearch();
});

describe("GET /v1/latents/{model}/{sae}/{index}/similar", () => {
  it("finds the same explanation in another SAE, and leaves the latent itself out", async () => {
    const first = sample.explanations[0]!;
    const { status, body } = await getJson<{ results: Hit[] }>(`/v1/latents/${MODEL}/${SAE_A}/${first.index}/similar?sae=${SAE_B}&limit=3`);
    expect(status).toBe(200);
    expect(body.results[0]).toMatchObject({ sae: SAE_B, index: 100 });
    expect(body.results[0]!.score).toBeCloseTo(1, 3);
    expect(body.results.every((h) => h.sae === SAE_B)).toBe(true);
    const anywhere = (await getJson<{ results: Hit[] }>(`/v1/latents/${MODEL}/${SAE_A}/${first.index}/similar?limit=10`)).body.results;
    expect(anywhere.some((h) => h.sae === SAE_A && h.index === first.index)).toBe(false);
    expect(anywhere.map((h) => h.semantic.rank)).toEqual(anywhere.map((_, i) => i + 1));
  });

  it("404s unknown latents, models and target SAEs; 400s bad parameters", async () => {
    expect((await call(`/v1/latents/${MODEL}/${SAE_A}/9999/similar`)).status).toBe(404);
    expect((await call(`/v1/latents/no-model/${SAE_A}/0/similar`)).status).toBe(404);
    expect((await call(`/v1/latents/${MODEL}/${SAE_A}/${sample.explanations[0]!.index}/similar?sae=nope`)).status).toBe(404);
    expect((await call(`/v1/latents/${MODEL}/${SAE_A}/-1/similar`)).status).toBe(400);
    expect((await call(`/v1/latents/${MODEL}/${SAE_A}/0/similar?limit=0`)).status).toBe(400);
    expect((await call(`/v1/latents/${MODEL}/${SAE_A}/0/similar?sae=a%20b`)).status).toBe(400);
  });
});

describe("Neuronpedia-compatible explanation search", () => {
  const post = (path: string, body: unknown) =>
    call(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  type NpPage = {
    request: Record<string, unknown>;
    results: { modelId: string; layer: string; index: string; description: string; explanationModelName: string; cosine_similarity: number }[];
    resultsCount: number;
    hasMore: boolean;
    nextOffset: number;
  };

  it("answers search, search-model and search-all with Neuronpedia's fields", async () => {
    const bodies: [string, Record<string, unknown>][] = [
      ["/api/explanation/search", { modelId: MODEL, layers: [SAE_A], query: "legal terms" }],
      ["/api/explanation/search-model", { modelId: MODEL, query: "legal terms" }],
      ["/api/explanation/search-all", { query: "legal terms" }],
    ];
    for (const [path, body] of bodies) {
      const res = await post(path, body);
      expect(res.status, path).toBe(200);
      const page = (await res.json()) as NpPage;
      expect(page.request).toMatchObject(body);
      expect(page.resultsCount).toBe(page.results.length);
      expect(page.results[0]!.description).toMatch(/legal|court/i);
      expect(typeof page.results[0]!.index).toBe("string");
      expect(page.results[0]!.modelId).toBe(MODEL);
      const cos = page.results.map((r) => r.cosine_similarity);
      expect(cos).toEqual([...cos].sort((a, b) => b - a));
      if (path.endsWith("/search")) expect(page.results.every((r) => r.layer === SAE_A)).toBe(true);
    }
  });

  it("pages 20 at a time with offset", async () => {
    const first = (await (await post("/api/explanation/search-all", { query: "words" })).json()) as NpPage;
    expect(first.resultsCount).toBe(20);
    expect(first.hasMore).toBe(true);
    expect(first.nextOffset).toBe(20);
    const all: string[] = first.results.map((r) => `${r.layer}/${r.index}/${r.description}`);
    let offset = first.nextOffset;
    for (;;) {
      const page = (await (await post("/api/explanation/search-all", { query: "words", offset })).json()) as NpPage;
      all.push(...page.results.map((r) => `${r.layer}/${r.index}/${r.description}`));
      if (!page.hasMore) break;
      offset = page.nextOffset;
    }
    expect(all).toHaveLength(60 + IN_B);
    expect(new Set(all).size).toBe(all.length);
  });

  it("refuses bad bodies with a 400", async () => {
    const bad: [string, unknown][] = [
      ["/api/explanation/search", { modelId: MODEL, query: "x" }],
      ["/api/explanation/search", { modelId: MODEL, layers: [], query: "x" }],
      ["/api/explanation/search-model", { query: "x" }],
      ["/api/explanation/search-all", { query: "" }],
      ["/api/explanation/search-all", { query: "z".repeat(1001) }],
      ["/api/explanation/search-all", { query: "x", offset: -20 }],
      ["/api/explanation/search-all", "{oops"],
    ];
    for (const [path, body] of bad) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    }
    expect((await post("/api/explanation/search-model", { modelId: "unknown-model", query: "x" })).status).toBe(404);
  });
});
