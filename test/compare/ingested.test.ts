// The compare and decode routes over a bundle ingested through the real admin
// routes (the path every deployment's data takes), including live matches
// through the vector index built at ingest.
import { beforeAll, describe, expect, it } from "vitest";
import { buildBundle, smallRows, unitVector } from "../fixtures/small-bundle";
import { getJson, ingest } from "../core/helpers";

interface Match { sae: string; index: number; method: string; rank: number; score: number; explanation: string | null }

const M = "/v1/models/tiny-model";

beforeAll(async () => {
  await ingest(await buildBundle());
});

describe("routes over an ingested bundle", () => {
  it("serves stored matches with the partner's explanation", async () => {
    const { status, body } = await getJson<{ matches: Match[] }>(`${M}/saes/3-res-test/latents/0/matches?method=decoder_cosine`);
    expect(status).toBe(200);
    expect(body.matches.map((m) => [m.index, m.score])).toEqual([[2, 0.91], [1, 0.4]]);
    expect(body.matches[0]!.explanation).toBe("celestial bodies: sun, moon and stars");
  });

  it("computes live explanation matches equal to exact cosine over the target SAE's vectors", async () => {
    const { status, body } = await getJson<{ source: string; matches: Match[] }>(`${M}/saes/3-res-test/latents/0/matches/live?target=4-res-test&limit=3`);
    expect(status).toBe(200);
    expect(body.source).toBe("live");
    // Exact answer: each target latent's best cosine to any of the source latent's explanation vectors.
    const rows = smallRows()["explanations.jsonl"] as { id: number; sae: string; index: number }[];
    const own = rows.filter((r) => r.sae === "3-res-test" && r.index === 0).map((r) => unitVector(r.id, 384));
    const best = new Map<number, number>();
    for (const r of rows.filter((r) => r.sae === "4-res-test")) {
      const v = unitVector(r.id, 384);
      const score = Math.max(...own.map((o) => o.reduce((s, x, j) => s + x * v[j]!, 0)));
      best.set(r.index, Math.max(best.get(r.index) ?? -1, score));
    }
    const expected = [...best.entries()].sort((a, b) => b[1] - a[1]);
    expect(body.matches.map((m) => m.index)).toEqual(expected.map(([i]) => i));
    body.matches.forEach((m, i) => expect(m.score).toBeCloseTo(expected[i]![1], 2));
    expect(body.matches.every((m) => m.sae === "4-res-test" && m.method === "explanation_cosine")).toBe(true);
  });

  it("refuses live matching for a latent without explanations, or against itself", async () => {
    expect((await getJson(`${M}/saes/3-res-test/latents/7/matches/live?target=4-res-test`)).status).toBe(404);
    expect((await getJson(`${M}/saes/3-res-test/latents/0/matches/live?target=3-res-test`)).status).toBe(400);
    expect((await getJson(`${M}/saes/3-res-test/latents/0/matches/live`)).status).toBe(400);
  });

  it("serves the pair summary, the matrix, decodings and the token lookup", async () => {
    const pair = await getJson<{ pairs: { matchedFraction: number }[] }>(`${M}/saes/3-res-test/compare/4-res-test`);
    expect(pair.body.pairs[0]!.matchedFraction).toBe(0.5);
    const matrix = await getJson<{ values: number[][] }>(`${M}/similarity`);
    expect(matrix.body.values).toEqual([[1, 0.5], [(0.5 * 8) / 8, 1]]);
    const dec = await getJson<{ decodings: { top: { token: string }[] }[] }>(`${M}/saes/3-res-test/latents/1/decodings`);
    expect(dec.body.decodings[0]!.top.map((t) => t.token)).toEqual([" court", " law"]);
    const lookup = await getJson<{ groups: { promoters: { index: number }[] }[] }>(`${M}/tokens/promoters?token=%20court`);
    expect(lookup.body.groups[0]!.promoters.map((p) => p.index)).toEqual([0, 1]);
  });
});
