import { beforeAll, describe, expect, it } from "vitest";
import { MODEL, getJson, seed } from "./seed";

interface Pair { saeA: string; saeB: string; method: string; nA: number; nB: number; matchedFraction: number; meanMatchedScore: number; reversed: boolean; histogram: { edges: number[]; counts: number[] } }
interface Matrix { method: string; measure: string; saes: { id: string; layer: number }[]; values: (number | null)[][] }
interface ErrorBody { error: { code: string; message: string } }

beforeAll(seed);

describe("SAE pair summary", () => {
  it("returns one summary per stored method, in the asked orientation", async () => {
    const { status, body } = await getJson<{ pairs: Pair[] }>(`/v1/models/${MODEL}/saes/res-0/compare/res-1`);
    expect(status).toBe(200);
    expect(body.pairs.map((p) => p.method)).toEqual(["decoder_cosine", "explanation_cosine"]);
    expect(body.pairs[0]).toMatchObject({ saeA: "res-0", saeB: "res-1", matchedFraction: 0.75, reversed: false });
    expect(body.pairs[0]!.histogram.counts).toHaveLength(body.pairs[0]!.histogram.edges.length - 1);
  });

  it("reads a pair stored only the other way round, rescaling the fraction to A's latents", async () => {
    const { body } = await getJson<{ pairs: Pair[] }>(`/v1/models/${MODEL}/saes/res-0/compare/res-2?method=decoder_cosine`);
    const p = body.pairs[0]!;
    expect(p).toMatchObject({ saeA: "res-0", saeB: "res-2", nA: 8, nB: 6, reversed: true });
    // Stored res-2 -> res-0: 0.5 of 6 latents = 3 matched; 3 of res-0's 8 = 0.375.
    expect(p.matchedFraction).toBeCloseTo(0.375, 10);
  });

  it.each([
    [`/v1/models/${MODEL}/saes/res-1/compare/mlp-0`, 404, "no comparison"],
    [`/v1/models/${MODEL}/saes/res-1/compare/res-1`, 400, "different"],
    [`/v1/models/${MODEL}/saes/res-1/compare/res-2?method=explanation_cosine`, 404, "explanation_cosine"],
    [`/v1/models/${MODEL}/saes/res-1/compare/zzz`, 404, "no SAE"],
    [`/v1/models/${MODEL}/saes/res-1/compare/res-2?method=hungarian`, 400, "method"],
  ])("refuses %s with %i", async (path, status, words) => {
    const res = await getJson<ErrorBody>(path);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(words);
  });
});

describe("layer x layer similarity matrix", () => {
  it("orders SAEs by layer and fills both halves", async () => {
    const { status, body } = await getJson<Matrix>(`/v1/models/${MODEL}/similarity`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ method: "decoder_cosine", measure: "matchedFraction" });
    expect(body.saes.map((s) => s.id)).toEqual(["res-0", "res-1", "res-2"]);
    const v = body.values;
    expect(v.map((row, i) => row[i])).toEqual([1, 1, 1]);
    expect(v[0]![1]).toBe(0.75);
    expect(v[1]![0]).toBe(0.625); // stored directly, not mirrored
    expect(v[1]![2]).toBe(0.5);
    expect(v[2]![1]).toBeCloseTo((0.5 * 8) / 6, 10); // mirrored from res-1 -> res-2
    expect(v[2]![0]).toBe(0.5);
    expect(v[0]![2]).toBeCloseTo(0.375, 10);
  });

  it("serves the mean matched score and the explanation method", async () => {
    const mean = await getJson<Matrix>(`/v1/models/${MODEL}/similarity?measure=meanMatchedScore`);
    expect(mean.body.values[0]![1]).toBe(0.8);
    const expl = await getJson<Matrix>(`/v1/models/${MODEL}/similarity?method=explanation_cosine`);
    expect(expl.body.saes.map((s) => s.id)).toEqual(["res-0", "res-1"]);
    expect(expl.body.values[0]![1]).toBe(0.25);
  });

  it.each([
    [`/v1/models/${MODEL}/similarity?measure=fvu`, 400],
    [`/v1/models/${MODEL}/similarity?method=hungarian_decoder`, 400],
    [`/v1/models/${MODEL}/similarity?site=mlp_neurons`, 404],
    [`/v1/models/unknown-model/similarity`, 404],
  ])("refuses %s with %i", async (path, status) => {
    expect((await getJson<ErrorBody>(path)).status).toBe(status);
  });
});
