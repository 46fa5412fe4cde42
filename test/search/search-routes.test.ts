import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { hydrate } from "../../src/search/hydrate";
import { parseServerTiming } from "../../src/search/timings";
import { admin, call, getJson } from "../core/helpers";
import { IN_B, MODEL, SAE_A, SAE_B, seedSearch } from "./search-bundle";

type Hit = {
  model: string;
  sae: string;
  layer: number;
  index: number;
  explanation: { id: number; text: string; explainer: string; scores: Record<string, number> };
  score: number;
  semantic: { rank: number | null; cosine: number } | null;
  lexical: { rank: number; bm25: number } | null;
};
type Page = { query: string; mode: string; results: Hit[]; nextCursor: string | null };

const search = (params: Record<string, string | number>) =>
  getJson<Page>(`/v1/search?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);

beforeAll(async () => {
  await seedSearch();
});

describe("GET /v1/search", () => {
  it("finds legal explanations for a legal query in every mode", async () => {
    for (const mode of ["hybrid", "semantic", "lexical"]) {
      const { status, body } = await search({ q: "legal citations and court cases", mode, limit: 5 });
      expect(status, mode).toBe(200);
      expect(body.mode).toBe(mode);
      expect(body.results.length, mode).toBeGreaterThan(0);
      expect(body.results[0]!.explanation.text, mode).toMatch(/legal|court/i);
    }
  });

  it("says where each rank came from", async () => {
    const hybrid = (await search({ q: "court cases", mode: "hybrid" })).body.results;
    expect(hybrid.some((h) => h.semantic && h.lexical)).toBe(true);
    for (const h of hybrid) {
      expect(h.semantic).not.toBeNull();
      expect(h.score).toBeCloseTo(h.semantic!.cosine + 0.01 * (h.lexical?.bm25 ?? 0), 6);
    }
    const semantic = (await search({ q: "court cases", mode: "semantic" })).body.results;
    semantic.forEach((h, i) => {
      expect(h.lexical).toBeNull();
      expect(h.semantic!.cosine).toBe(h.score);
      if (i > 0) expect(h.score).toBeLessThanOrEqual(semantic[i - 1]!.score);
    });
    const lexical = (await search({ q: "court cases", mode: "lexical" })).body.results;
    lexical.forEach((h) => {
      expect(h.semantic).toBeNull();
      expect(h.lexical!.bm25).toBeGreaterThan(0);
    });
  });

  it("reports where the time went in Server-Timing, per mode", async () => {
    const phasesOf = async (mode: string) => {
      const res = await call(`/v1/search?${new URLSearchParams({ q: "court cases", mode })}`);
      expect(res.status).toBe(200);
      return parseServerTiming(res.headers.get("server-timing"));
    };
    const hybrid = await phasesOf("hybrid");
    expect(Object.keys(hybrid)).toEqual(expect.arrayContaining(["models", "embed", "vectors", "lexical", "fusion", "hydrate"]));
    expect(Object.values(hybrid).every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
    const lexical = await phasesOf("lexical");
    expect(Object.keys(lexical)).toEqual(expect.arrayContaining(["lexical", "hydrate"]));
    expect(lexical).not.toHaveProperty("embed");
    expect(await phasesOf("semantic")).not.toHaveProperty("lexical");
  });

  it("reports this isolate's search memory to admins only", async () => {
    expect((await search({ q: "court cases", mode: "hybrid" })).status).toBe(200);
    const res = await admin("/admin/isolate");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      indexes: { rows: number; bytes: number; exactScores: boolean; signBits: boolean }[];
      queryModel: { loaded: boolean; wasmMemoryBytes: number | null; cachedQueries: number; cacheCapacity: number };
      accountedBytes: number;
    };
    expect(body.indexes.length).toBeGreaterThan(0);
    for (const i of body.indexes) {
      expect(i.rows).toBeGreaterThan(0);
      expect(i.bytes).toBeGreaterThan(i.rows * 384);
      expect(i.exactScores).toBe(true);
      expect(i.signBits).toBe(true);
    }
    expect(body.queryModel.loaded).toBe(true);
    // The runtime's heap holds the 36 MB model.
    expect(body.queryModel.wasmMemoryBytes).toBeGreaterThan(20 * 2 ** 20);
    expect(body.queryModel.cachedQueries).toBeGreaterThan(0);
    expect(body.accountedBytes).toBe(body.indexes.reduce((n, i) => n + i.bytes, 0) + body.queryModel.wasmMemoryBytes!);
    expect((await call("/admin/isolate")).status).toBe(401);
    const created = (await (
      await admin("/admin/keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "reader", scope: "read" }) })
    ).json()) as { key: string };
    expect((await call("/admin/isolate", { headers: { Authorization: `Bearer ${created.key}` } })).status).toBe(403);
  });

  it("returns one result per latent, with text, explainer and scores", async () => {
    const { body } = await search({ q: "legal terms", limit: 50 });
    const keys = body.results.map((h) => `${h.sae}/${h.index}`);
    expect(new Set(keys).size).toBe(keys.length);
    const first = body.results.find((h) => h.explanation.id === 0);
    if (first) expect(first.explanation.scores.fuzz).toBe(0.75);
    expect(body.results.every((h) => h.model === MODEL && h.explanation.text.length > 0)).toBe(true);
  });

  it("filters by SAE, layer, model and minimum score", async () => {
    const bySae = (await search({ q: "legal", sae: SAE_B, limit: 50 })).body.results;
    expect(bySae.length).toBeGreaterThan(0);
    expect(bySae.length).toBeLessThanOrEqual(IN_B);
    expect(bySae.every((h) => h.sae === SAE_B)).toBe(true);
    const byLayer = (await search({ q: "legal", layer: 20, limit: 50, mode: "lexical" })).body.results;
    expect(byLayer.every((h) => h.layer === 20 && h.sae === SAE_A)).toBe(true);
    const both = (await search({ q: "legal", sae: `${SAE_A},${SAE_B}`, limit: 100 })).body.results;
    expect(new Set(both.map((h) => h.sae))).toEqual(new Set([SAE_A, SAE_B]));
    const strict = (await search({ q: "legal citations", mode: "semantic", min_score: 0.5, limit: 100 })).body.results;
    expect(strict.every((h) => h.semantic!.cosine >= 0.5)).toBe(true);
    const loose = (await search({ q: "legal citations", mode: "semantic", limit: 100 })).body.results;
    expect(loose.length).toBeGreaterThan(strict.length);
    expect((await search({ q: "legal", model: MODEL })).body.results.length).toBeGreaterThan(0);
  });

  it("pages with the cursor without repeats", async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await search({ q: "words and phrases", limit: 7, ...(cursor ? { cursor } : {}) });
      expect(status).toBe(200);
      for (const h of body.results) {
        const key = `${h.sae}/${h.index}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThan(2);
    expect(seen.size).toBe(60 + IN_B);
  });

  it("refuses a cursor of another query", async () => {
    const { body } = await search({ q: "words", limit: 2 });
    const { status, body: err } = await search({ q: "numbers", limit: 2, cursor: body.nextCursor! });
    expect(status).toBe(400);
    expect((err as unknown as { error: { message: string } }).error.message).toMatch(/cursor/);
  });

  it("answers bad input with a 400 and the error body", async () => {
    const cases: [Record<string, string | number>, RegExp][] = [
      [{ q: "" }, /empty/],
      [{ q: "   " }, /empty/],
      [{ q: "x".repeat(1001) }, /too long/],
      [{ q: "a", mode: "fuzzy" }, /mode/],
      [{ q: "a", limit: 0 }, /limit/],
      [{ q: "a", limit: 1000 }, /limit/],
      [{ q: "a", min_score: "high" }, /min_score/],
      [{ q: "a", cursor: "not-a-cursor" }, /cursor/],
      [{ q: "a", sae: "bad sae!" }, /sae/],
      [{ q: "a", model: "Bad Model" }, /model/],
    ];
    for (const [params, message] of cases) {
      const { status, body, res } = await search(params);
      expect(status, JSON.stringify(params)).toBe(400);
      const error = (body as unknown as { error: { code: string; message: string; requestId: string } }).error;
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(message);
      expect(error.requestId).toBe(res.headers.get("X-Request-Id"));
    }
    expect((await call("/v1/search")).status).toBe(400);
  });

  it("hydrates more hits than one D1 statement may bind", async () => {
    const { r } = (await env.DB.prepare("SELECT active_release AS r FROM models").first<{ r: number }>())!;
    const rows = await hydrate(env, Array.from({ length: 150 }, (_, i) => ({ release: r, explanation: i })));
    expect(rows.size).toBe(60 + IN_B);
    expect(rows.get(`${r}:0`)!.scores.fuzz).toBe(0.75);
  });

  it("404s an unknown model", async () => {
    const { status } = await search({ q: "legal", model: "no-such-model" });
    expect(status).toBe(404);
  });

  it("treats SQL and FTS syntax as plain words", async () => {
    const hostile = [
      `'; DROP TABLE explanations; --`,
      `legal" OR text MATCH "*`,
      `NEAR(legal court, 2)`,
      `text:legal AND NOT court`,
      `* ^ " ( ) : -`,
      `legal OR 1=1 --`,
      `\u0000\u202e legal`,
    ];
    for (const q of hostile) {
      for (const mode of ["lexical", "hybrid"]) {
        const { status } = await search({ q, mode });
        expect(status, `${mode}: ${q}`).toBe(200);
      }
    }
    const punctuationOnly = await search({ q: `* ^ " ( ) : -`, mode: "lexical" });
    expect(punctuationOnly.body.results).toEqual([]);
    const words = (await search({ q: "legal OR court", mode: "lexical" })).body.results;
    expect(words.length).toBeGreaterThan(0);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM explanations").first<{ n: number }>();
    expect(n!.n).toBe(60 + IN_B);
  });
});

describe("POST /v1/search", () => {
  const post = (body: unknown) =>
    call("/v1/search", { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  it("searches with the query in the body, arrays for filters", async () => {
    const res = await post({ q: "legal references in court documents", mode: "hybrid", sae: [SAE_A], layer: [20], limit: 3 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Page;
    expect(body.results).toHaveLength(3);
    expect(body.results.every((h) => h.sae === SAE_A)).toBe(true);
    expect(body.results[0]!.explanation.text).toMatch(/legal|court/i);
  });

  it("refuses malformed JSON, unknown fields, wrong types and long queries", async () => {
    for (const body of ["{not json", { q: "a", extra: 1 }, { q: 5 }, { q: "a", sae: "not-an-array" }, { q: "y".repeat(1001) }, {}]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");
    }
  });
});
