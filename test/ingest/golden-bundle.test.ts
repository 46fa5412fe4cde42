// The cross-language check: the golden bundle written by the Python side's
// tests (test/fixtures/golden-bundle/) must pass the TypeScript validator,
// ingest completely, and come back through the API row for row.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { BundleBytes, Manifest } from "../../src/bundle";
import { BUNDLE_FILES, parseManifest, verifyBundle } from "../../src/bundle";
import { count, getJson, ingest } from "../core/helpers";

type Fetcher = { fetch(url: string): Promise<Response> };
const GOLDEN = "http://fixtures/test/fixtures/golden-bundle/";

async function readGolden(): Promise<BundleBytes> {
  // Tests in workerd cannot read the disk; the Node-side fixture service (vitest.config.ts) serves test/fixtures/.
  const fixtures = (env as unknown as { SEARCH_FIXTURES: Fetcher }).SEARCH_FIXTURES;
  const manifestRes = await fixtures.fetch(`${GOLDEN}manifest.json`);
  expect(manifestRes.status, "test/fixtures/golden-bundle/manifest.json").toBe(200);
  const manifestText = await manifestRes.text();
  const manifest = parseManifest(manifestText);
  const files = new Map<string, Uint8Array>();
  for (const name of BUNDLE_FILES) {
    if (!manifest.files[name]) continue;
    const res = await fixtures.fetch(`${GOLDEN}${name}`);
    expect(res.status, name).toBe(200);
    files.set(name, new Uint8Array(await res.arrayBuffer()));
  }
  return { manifestText, files };
}

function rows<T>(bundle: BundleBytes, file: string): T[] {
  const bytes = bundle.files.get(file);
  return bytes ? new TextDecoder().decode(bytes).trimEnd().split("\n").map((l) => JSON.parse(l) as T) : [];
}

const TABLES: Record<string, string> = {
  "saes.jsonl": "saes",
  "vocab.jsonl": "vocab",
  "latents.jsonl": "latents",
  "explanations.jsonl": "explanations",
  "scores.jsonl": "scores",
  "decodings.jsonl": "decodings",
  "token_index.jsonl": "token_index",
  "matches.jsonl": "matches",
  "sae_pairs.jsonl": "sae_pairs",
};

let bundle: BundleBytes;
let manifest: Manifest;
let release: number;

beforeAll(async () => {
  bundle = await readGolden();
  manifest = await verifyBundle(bundle);
  const result = await ingest(bundle, { rowsPerPart: 50 });
  expect(result.status).toBe("active");
  release = result.release;
});

describe("golden bundle from the batch side", () => {
  it("stores every row of every file", async () => {
    for (const [file, table] of Object.entries(TABLES)) {
      if (!manifest.files[file as keyof Manifest["files"]]) continue;
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE release = ?`, release), file).toBe(
        manifest.files[file as keyof Manifest["files"]]!.rows,
      );
    }
    const examples = manifest.files["examples.jsonl"]?.rows ?? 0;
    expect(await count("SELECT coalesce(sum(count), 0) AS n FROM example_refs WHERE release = ?", release)).toBe(examples);
  });

  it("serves each latent's explanations, examples, decodings and matches as written", async () => {
    const explanations = rows<{ sae: string; index: number; text: string }>(bundle, "explanations.jsonl");
    const examples = rows<{ sae: string; index: number; tokens: string[] }>(bundle, "examples.jsonl");
    const decodings = rows<{ sae: string; index: number; direction: string; top: { id: number; token: string; value: number }[] }>(bundle, "decodings.jsonl");
    const matches = rows<{ saeA: string; indexA: number; saeB: string; indexB: number; method: string; rank: number }>(bundle, "matches.jsonl");
    const latents = [...new Map(explanations.map((e) => [`${e.sae}/${e.index}`, e])).values()].slice(0, 5);
    for (const { sae, index } of latents) {
      const { status, body } = await getJson(`/v1/latents/${manifest.model.id}/${sae}/${index}`);
      expect(status).toBe(200);
      const texts = explanations.filter((e) => e.sae === sae && e.index === index).map((e) => e.text);
      expect(body.explanations.map((e: { text: string }) => e.text)).toEqual(texts);
      expect(body.examples).toHaveLength(examples.filter((e) => e.sae === sae && e.index === index).length);
      for (const d of decodings.filter((x) => x.sae === sae && x.index === index)) {
        const served = body.decodings.find((x: { direction: string }) => x.direction === d.direction);
        expect(served.top).toEqual(d.top);
      }
      const written = matches.filter((m) => m.saeA === sae && m.indexA === index && m.rank < 5);
      expect(body.matches).toHaveLength(written.length);
    }
  });

  it("lists every SAE of the model", async () => {
    const saes = await getJson(`/v1/models/${manifest.model.id}/saes`);
    expect(saes.body.saes.map((s: { id: string }) => s.id).sort()).toEqual(rows<{ id: string }>(bundle, "saes.jsonl").map((s) => s.id).sort());
  });
});
