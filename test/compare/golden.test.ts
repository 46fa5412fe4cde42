// The compare and decode routes over the golden bundle written by the Python
// side: what the routes answer must equal what the bundle's files say.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { BundleBytes } from "../../src/bundle";
import { BUNDLE_FILES, parseManifest } from "../../src/bundle";
import { getJson, ingest } from "../core/helpers";

type Fetcher = { fetch(url: string): Promise<Response> };
const fixtures = (env as unknown as { SEARCH_FIXTURES?: Fetcher }).SEARCH_FIXTURES;
const GOLDEN = "http://fixtures/test/fixtures/golden-bundle/";

interface MatchRow { saeA: string; indexA: number; saeB: string; indexB: number; method: string; score: number; rank: number }
interface DecodingRow { sae: string; index: number; direction: string; top: { id: number; token: string; value: number }[]; bottom: { id: number; token: string; value: number }[] }
interface TokenRow { tokenId: number; token: string; direction: string; entries: { sae: string; index: number; value: number }[] }
interface PairRow { saeA: string; saeB: string; method: string; matchedFraction: number; meanMatchedScore: number }

let bundle: BundleBytes | null = null;
let model = "";
const rows = <T>(file: string): T[] =>
  new TextDecoder().decode(bundle!.files.get(file)!).trimEnd().split("\n").map((l) => JSON.parse(l) as T);

beforeAll(async () => {
  const manifestRes = fixtures ? await fixtures.fetch(`${GOLDEN}manifest.json`) : null;
  if (!manifestRes || manifestRes.status !== 200) return;
  const manifestText = await manifestRes.text();
  const manifest = parseManifest(manifestText);
  const files = new Map<string, Uint8Array>();
  for (const name of BUNDLE_FILES) {
    if (!manifest.files[name]) continue;
    files.set(name, new Uint8Array(await (await fixtures!.fetch(`${GOLDEN}${name}`)).arrayBuffer()));
  }
  bundle = { manifestText, files };
  model = manifest.model.id;
  await ingest(bundle, { rowsPerPart: 100 });
});

describe.runIf(fixtures)("golden bundle through the compare and decode routes", () => {
  it("serves each latent's stored matches as the bundle lists them", async () => {
    expect(bundle, "test/fixtures/golden-bundle/ is missing").not.toBeNull();
    const all = rows<MatchRow>("matches.jsonl");
    const first = all[0]!;
    const expected = all
      .filter((r) => r.saeA === first.saeA && r.indexA === first.indexA && r.method === "decoder_cosine")
      .map((r) => [r.saeB, r.rank, r.indexB, r.score]);
    const { status, body } = await getJson<{ matches: { sae: string; rank: number; index: number; score: number }[] }>(
      `/v1/models/${model}/saes/${first.saeA}/latents/${first.indexA}/matches?method=decoder_cosine&limit=50`,
    );
    expect(status).toBe(200);
    expect(body.matches.map((m) => [m.sae, m.rank, m.index, m.score])).toEqual(expected);
  });

  it("serves decodings with the bundle's tokens in order", async () => {
    // Every third row: all directions and many features, at a third of the time.
    for (const d of rows<DecodingRow>("decodings.jsonl").filter((_, i) => i % 3 === 0)) {
      const { body } = await getJson<{ decodings: { top: { id: number; token: string; value: number }[]; bottom: { id: number }[] }[] }>(
        `/v1/models/${model}/saes/${d.sae}/latents/${d.index}/decodings?direction=${d.direction}&limit=100`,
      );
      expect(body.decodings[0]!.top, `${d.sae}/${d.index}/${d.direction}`).toEqual(d.top);
      expect(body.decodings[0]!.bottom.map((t) => t.id)).toEqual(d.bottom.map((t) => t.id));
    }
  });

  it("answers the reverse lookup of indexed tokens as the bundle's index says, by id and by text", async () => {
    type Lookup = { tokens: { id: number }[]; groups: { promoters: { sae: string; index: number; value: number }[] }[] };
    const entries = (body: Lookup) => body.groups[0]!.promoters.map((p) => ({ sae: p.sae, index: p.index, value: p.value }));
    // Every seventh row (prime to the 5 directions) covers every direction and many tokens, quickly.
    for (const t of rows<TokenRow>("token_index.jsonl").filter((_, i) => i % 7 === 0)) {
      const byId = await getJson<Lookup>(`/v1/models/${model}/tokens/promoters?token_id=${t.tokenId}&direction=${t.direction}&limit=100`);
      expect(byId.status).toBe(200);
      expect(entries(byId.body), `${t.tokenId}/${t.direction}`).toEqual(t.entries);
      if (t.token === "") continue; // an empty text is reachable by id only
      const byText = await getJson<Lookup>(`/v1/models/${model}/tokens/promoters?token=${encodeURIComponent(t.token)}&direction=${t.direction}&limit=100`);
      expect(byText.status, JSON.stringify(t.token)).toBe(200);
      expect(byText.body.tokens.map((x) => x.id)).toContain(t.tokenId);
    }
  });

  it("builds the matrix and pair summaries from sae_pairs.jsonl", async () => {
    const pairs = rows<PairRow>("sae_pairs.jsonl").filter((p) => p.method === "decoder_cosine");
    const { body } = await getJson<{ saes: { id: string }[]; values: (number | null)[][] }>(`/v1/models/${model}/similarity`);
    const at = new Map(body.saes.map((s, i) => [s.id, i]));
    for (const p of pairs) expect(body.values[at.get(p.saeA)!]![at.get(p.saeB)!]).toBe(p.matchedFraction);
    const p = pairs[0]!;
    const summary = await getJson<{ pairs: { meanMatchedScore: number; reversed: boolean }[] }>(`/v1/models/${model}/saes/${p.saeA}/compare/${p.saeB}?method=decoder_cosine`);
    expect(summary.body.pairs[0]).toMatchObject({ meanMatchedScore: p.meanMatchedScore, reversed: false });
  });
});
