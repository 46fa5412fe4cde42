import { beforeAll, describe, expect, it } from "vitest";
import { MODEL, NO_VOCAB_MODEL, getJson, seed, tokenId } from "../compare/seed";

interface Promoter { tokenId: number; token: string; sae: string; layer: number; kind: string; index: number; value: number; explanation: string | null }
interface Lookup { match: string; tokens: { id: number; token: string }[]; groups: { direction: string; promoters: Promoter[] }[] }
interface Vocab { tokens: { id: number; token: string }[]; suggestions: string[] }
interface ErrorBody { error: { code: string; message: string } }

beforeAll(seed);
const promoters = (query: string) => getJson<Lookup>(`/v1/models/${MODEL}/tokens/promoters?${query}`);

describe("token -> promoting features", () => {
  it("finds the neurons and latents that promote ' dog' (leading space percent-encoded)", async () => {
    const { status, body } = await promoters("token=%20dog");
    expect(status).toBe(200);
    expect(body.match).toBe("exact");
    expect(body.tokens).toEqual([{ id: tokenId(" dog"), token: " dog" }]);
    expect(body.groups.map((g) => g.direction)).toEqual(["decoder", "write"]);
    const write = body.groups[1]!.promoters;
    expect(write.map((p) => `${p.sae}/${p.index}`)).toEqual(["mlp-1/9", "mlp-0/4", "mlp-1/2"]);
    expect(write[0]).toMatchObject({ layer: 1, kind: "neurons", value: 3, explanation: "the word dog" });
  });

  it("looks a token up by id", async () => {
    const { status, body } = await promoters(`token_id=${tokenId(" dog")}&direction=write`);
    expect(status).toBe(200);
    expect(body.match).toBe("id");
    expect(body.tokens).toEqual([{ id: tokenId(" dog"), token: " dog" }]);
    expect(body.groups[0]!.promoters[0]!.index).toBe(9);
  });

  it("reads '+' as a space, as form encoding does", async () => {
    const { body } = await promoters("token=+dog&direction=write");
    expect(body.tokens[0]!.token).toBe(" dog");
  });

  it("keeps 'dog' and ' dog' apart", async () => {
    const { body } = await promoters("token=dog");
    expect(body.tokens).toEqual([{ id: tokenId("dog"), token: "dog" }]);
    expect(body.groups[0]!.promoters.map((p) => p.index)).toEqual([7]);
  });

  it("merges every token starting with a prefix, strongest first", async () => {
    const { body } = await promoters("prefix=%20dog&direction=write");
    expect(body.match).toBe("prefix");
    expect(body.tokens.map((t) => t.token)).toEqual([" dog", " dogs", " doghouse"]);
    const list = body.groups[0]!.promoters;
    expect(list[0]).toMatchObject({ token: " doghouse", sae: "mlp-1", index: 14, value: 4 });
    expect(list.map((p) => p.value)).toEqual([...list.map((p) => p.value)].sort((a, b) => b - a));
  });

  it("filters by kind and limit", async () => {
    const { body } = await promoters("token=%20dog&kind=sae");
    expect(body.groups.map((g) => g.direction)).toEqual(["decoder", "write"]);
    expect(body.groups[1]!.promoters).toEqual([]);
    const one = await promoters("token=%20dog&direction=decoder&limit=1");
    expect(one.body.groups[0]!.promoters.map((p) => p.sae)).toEqual(["res-0"]);
  });

  it("handles non-ASCII and SQL-looking tokens as plain text", async () => {
    const cafe = await promoters(`token=${encodeURIComponent(" café")}`);
    expect(cafe.status).toBe(200);
    expect(cafe.body.tokens[0]!.id).toBe(tokenId(" café"));
    const sql = await promoters(`token=${encodeURIComponent("' OR 1=1 --")}`);
    expect(sql.status).toBe(200);
    expect(sql.body.tokens).toEqual([{ id: tokenId("' OR 1=1 --"), token: "' OR 1=1 --" }]);
    expect(sql.body.groups).toEqual([]);
    const pct = await promoters("prefix=%25");
    expect(pct.body.tokens.map((t) => t.token)).toEqual(["%"]);
  });

  it("answers a token the vocabulary lacks with a 404 naming near tokens", async () => {
    const res = await getJson<ErrorBody>(`/v1/models/${MODEL}/tokens/promoters?token=${encodeURIComponent(" DOG")}`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('" DOG" is not in the vocabulary');
    expect(res.body.error.message).toContain('" dog"');
    expect(res.body.error.message).toContain('" Dog"');
    const missing = await getJson<ErrorBody>(`/v1/models/${MODEL}/tokens/promoters?prefix=zzz`);
    expect(missing.status).toBe(404);
  });

  it("says so when the model has no vocabulary at all", async () => {
    const res = await getJson<ErrorBody>(`/v1/models/${NO_VOCAB_MODEL}/tokens/promoters?token=%20dog`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("has no vocabulary");
  });

  it.each([
    ["", 400, "exactly one"],
    ["token=dog&prefix=do", 400, "exactly one"],
    ["token=dog&token_id=2", 400, "exactly one"],
    ["token_id=-1", 400, "token_id"],
    ["token_id=99", 404, "token id 99"],
    ["token=", 400, "empty"],
    [`token=${"a".repeat(257)}`, 400, "too long"],
    ["token=dog&direction=sideways", 400, "direction"],
    ["token=dog&limit=1000", 400, "limit"],
    ["token=dog&kind=heads", 400, "kind"],
  ])("refuses ?%s with %i", async (query, status, words) => {
    const res = await getJson<ErrorBody>(`/v1/models/${MODEL}/tokens/promoters?${query}`);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(words);
  });
});

describe("vocabulary lookup", () => {
  it("finds exact tokens, prefixes, and suggestions for a miss", async () => {
    const exact = await getJson<Vocab>(`/v1/models/${MODEL}/tokens?token=%20Dog`);
    expect(exact.body).toMatchObject({ tokens: [{ id: tokenId(" Dog"), token: " Dog" }], suggestions: [] });
    const prefix = await getJson<Vocab>(`/v1/models/${MODEL}/tokens?prefix=%20do&limit=2`);
    expect(prefix.body.tokens.map((t) => t.token)).toEqual([" dog", " dogs"]);
    const miss = await getJson<Vocab>(`/v1/models/${MODEL}/tokens?token=Dogs`);
    expect(miss.body.tokens).toEqual([]);
    expect(miss.body.suggestions).toContain(" dogs");
  });

  it("refuses a request without token or prefix", async () => {
    expect((await getJson<ErrorBody>(`/v1/models/${MODEL}/tokens`)).status).toBe(400);
  });
});
