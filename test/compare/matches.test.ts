import { beforeAll, describe, expect, it } from "vitest";
import { MODEL, getJson, seed } from "./seed";

interface Match { sae: string; layer: number; index: number; method: string; rank: number; score: number; explanation: string | null }
interface Matches { sae: string; layer: number; index: number; source: string; matches: Match[] }
interface ErrorBody { error: { code: string; message: string } }

beforeAll(seed);
const base = `/v1/models/${MODEL}/saes/res-0/latents/3/matches`;

describe("stored latent matches", () => {
  it("returns every method, nearest layer first, with partner explanations", async () => {
    const { status, body } = await getJson<Matches>(base);
    expect(status).toBe(200);
    expect(body.source).toBe("stored");
    expect(body.matches.map((m) => `${m.sae}:${m.method}:${m.rank}`)).toEqual([
      "res-1:decoder_cosine:0",
      "res-1:decoder_cosine:1",
      "res-1:explanation_cosine:0",
      "res-1:hungarian_decoder:0",
      "res-2:decoder_cosine:0",
      "res-2:explanation_cosine:0",
    ]);
    const top = body.matches[0]!;
    expect(top).toMatchObject({ layer: 1, index: 5, score: 0.91, explanation: "dogs, <b>pets</b> & animals" });
  });

  it("never reads the staging release", async () => {
    const { body } = await getJson<Matches>(`${base}?limit=50`);
    expect(body.matches.some((m) => m.score === 0.99)).toBe(false);
    expect(JSON.stringify(body)).not.toContain("STAGED");
  });

  it("filters by target, method and limit", async () => {
    const { body } = await getJson<Matches>(`${base}?target=res-2&method=explanation_cosine`);
    expect(body.matches).toHaveLength(1);
    expect(body.matches[0]).toMatchObject({ sae: "res-2", index: 1, method: "explanation_cosine", explanation: "canine words" });
    const both = await getJson<Matches>(`${base}?method=both&limit=1`);
    expect(new Set(both.body.matches.map((m) => m.method))).toEqual(new Set(["decoder_cosine", "explanation_cosine"]));
    expect(both.body.matches.every((m) => m.rank === 0)).toBe(true);
  });

  it("answers an unmatched latent with an empty list", async () => {
    const { status, body } = await getJson<Matches>(`/v1/models/${MODEL}/saes/res-1/latents/0/matches`);
    expect(status).toBe(200);
    expect(body.matches).toEqual([]);
  });

  it.each([
    ["/v1/models/nope/saes/res-0/latents/3/matches", 404, "unknown model"],
    [`/v1/models/${MODEL}/saes/res-9/latents/3/matches`, 404, "no SAE"],
    [`/v1/models/${MODEL}/saes/res-0/latents/8/matches`, 404, "out of range"],
    [`${base}?target=res-9`, 404, "no SAE"],
    [`${base}?target=res-0`, 400, "another SAE"],
    [`${base}?limit=51`, 400, "limit"],
    [`${base}?limit=0`, 400, "limit"],
    [`${base}?limit=99999999999`, 400, "limit"],
    [`${base}?method=cosine`, 400, "method"],
    [`/v1/models/${MODEL}/saes/res-0/latents/-1/matches`, 400, "index"],
    [`/v1/models/${MODEL}/saes/res-0/latents/1e3/matches`, 400, "index"],
    [`/v1/models/${MODEL}/saes/${encodeURIComponent("res-0' OR '1'='1")}/latents/3/matches`, 400, "SAE id"],
    [`/v1/models/${encodeURIComponent("<script>")}/saes/res-0/latents/3/matches`, 400, "model id"],
  ])("refuses %s with %i", async (path, status, words) => {
    const res = await getJson<ErrorBody>(path);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(words);
  });
});
