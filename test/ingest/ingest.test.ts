import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ftsRowId } from "../../src/ingest/sql-batches";
import { buildBundle, smallRows } from "../fixtures/small-bundle";
import { admin, count, getJson, ingest } from "../core/helpers";

const TABLE_ROWS: [string, string][] = [
  ["saes", "saes.jsonl"],
  ["vocab", "vocab.jsonl"],
  ["latents", "latents.jsonl"],
  ["explanations", "explanations.jsonl"],
  ["scores", "scores.jsonl"],
  ["decodings", "decodings.jsonl"],
  ["token_index", "token_index.jsonl"],
  ["matches", "matches.jsonl"],
  ["sae_pairs", "sae_pairs.jsonl"],
];

async function expectExactlyOneCopy(release: number) {
  const rows = smallRows();
  for (const [table, file] of TABLE_ROWS) {
    expect(await count(`SELECT count(*) AS n FROM ${table} WHERE release = ?`, release), table).toBe(rows[file]!.length);
  }
  expect(await count("SELECT coalesce(sum(count), 0) AS n FROM example_refs WHERE release = ?", release)).toBe(rows["examples.jsonl"]!.length);
  expect(await count("SELECT count(*) AS n FROM explanations_fts WHERE rowid BETWEEN ? AND ?", ftsRowId(release, 0), ftsRowId(release, 2 ** 32 - 1))).toBe(
    rows["explanations.jsonl"]!.length,
  );
}

describe("ingest", () => {
  it("stores every row once, switches the release live and serves it", async () => {
    const result = await ingest(await buildBundle());
    expect(result).toMatchObject({ status: "active", committed: true, created: true });
    await expectExactlyOneCopy(result.release);
    const model = await env.DB.prepare("SELECT active_release FROM models WHERE id = 'tiny-model'").first<{ active_release: number }>();
    expect(model!.active_release).toBe(result.release);
    const fts = await env.DB.prepare("SELECT rowid FROM explanations_fts WHERE explanations_fts MATCH 'court'").all<{ rowid: number }>();
    expect(fts.results.map((r) => r.rowid).sort()).toEqual([ftsRowId(result.release, 0), ftsRowId(result.release, 6)]);
    const decoding = await env.DB.prepare("SELECT top FROM decodings WHERE release = ? AND sae = '3-res-test' AND idx = 0").bind(result.release).first<{ top: string }>();
    expect(JSON.parse(decoding!.top)).toEqual([[4, 2.5], [5, 1.5]]);
    const entries = await env.DB.prepare("SELECT entries FROM token_index WHERE release = ?").bind(result.release).first<{ entries: string }>();
    expect(JSON.parse(entries!.entries)[0]).toEqual(["3-res-test", 0, 2.5]);
  });

  it("is a no-op when the same bundle is ingested again", async () => {
    const bundle = await buildBundle();
    const first = await ingest(bundle);
    const again = await ingest(bundle);
    expect(again).toMatchObject({ release: first.release, status: "active", partsSent: 0, committed: false });
    await expectExactlyOneCopy(first.release);
  });

  it("resumes an interrupted ingest with exactly one copy of each row, serving the old release meanwhile", async () => {
    const old = await ingest(await buildBundle({ bundleId: "old" }));
    const bundle = await buildBundle({ bundleId: "new" });
    const partial = await ingest(bundle, { stopAfterParts: 7 });
    expect(partial.status).toBe("staging");
    const served = await getJson("/v1/models/tiny-model");
    expect(served.body.release.id).toBe(old.release);
    // Replay a part that was already stored (a retry whose answer was lost), then finish.
    const replay = await admin(`/admin/releases/${partial.release}/files/saes.jsonl?line=1`, {
      method: "PUT",
      body: bundle.files.get("saes.jsonl")!,
    });
    expect(replay.status).toBe(200);
    const resumed = await ingest(bundle);
    expect(resumed).toMatchObject({ release: partial.release, status: "active", created: false });
    expect(resumed.partsSent).toBeGreaterThan(0);
    await expectExactlyOneCopy(partial.release);
    const releases = (await (await admin("/admin/releases")).json()) as { releases: { id: number; status: string }[] };
    expect(releases.releases.find((r) => r.id === old.release)!.status).toBe("retired");
    expect((await getJson("/v1/models/tiny-model")).body.release.id).toBe(partial.release);
  });

  it("re-applies a repeated explanations part without duplicating rows or FTS entries", async () => {
    const bundle = await buildBundle({ bundleId: "replayed" });
    // saes (1 part), vocab (6), latents (3), explanations (3) with 3 rows per part.
    const partial = await ingest(bundle, { stopAfterParts: 13 });
    const firstThree = new TextDecoder().decode(bundle.files.get("explanations.jsonl")!).split("\n").slice(0, 3).join("\n") + "\n";
    const replay = await admin(`/admin/releases/${partial.release}/files/explanations.jsonl?line=1`, { method: "PUT", body: firstThree });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { rowsDone: number }).rowsDone).toBe(7);
    const done = await ingest(bundle);
    expect(done.status).toBe("active");
    await expectExactlyOneCopy(partial.release);
  });

  it("refuses a part that leaves a gap", async () => {
    const bundle = await buildBundle({ bundleId: "gap" });
    const partial = await ingest(bundle, { stopAfterParts: 1 });
    const res = await admin(`/admin/releases/${partial.release}/files/saes.jsonl?line=50`, { method: "PUT", body: "{}\n" });
    expect(res.status).toBe(409);
  });

  it("refuses to commit an incomplete release", async () => {
    const partial = await ingest(await buildBundle({ bundleId: "incomplete" }), { stopAfterParts: 2 });
    const res = await admin(`/admin/releases/${partial.release}/commit`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not complete/);
  });

  it("deletes a retired release's rows and blobs but never the active one", async () => {
    const old = await ingest(await buildBundle({ bundleId: "first" }));
    const current = await ingest(await buildBundle({ bundleId: "second" }));
    expect((await admin(`/admin/releases/${current.release}`, { method: "DELETE" })).status).toBe(409);
    const del = await admin(`/admin/releases/${old.release}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(await count("SELECT count(*) AS n FROM explanations WHERE release = ?", old.release)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM explanations_fts WHERE rowid BETWEEN ? AND ?", ftsRowId(old.release, 0), ftsRowId(old.release, 2 ** 32 - 1))).toBe(0);
    expect((await env.BLOBS.list({ prefix: `releases/${old.release}/` })).objects).toHaveLength(0);
    await expectExactlyOneCopy(current.release);
  });
});
