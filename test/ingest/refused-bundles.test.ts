import { describe, expect, it } from "vitest";
import { BundleError, verifyBundle } from "../../src/bundle";
import { buildBundle, smallRows } from "../fixtures/small-bundle";
import { admin, getJson, ingest } from "../core/helpers";

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the bundle to be refused");
}

describe("corrupt bundles are refused with file and line", () => {
  it("refuses a file whose sha256 differs from the manifest", async () => {
    const bundle = await buildBundle();
    const bytes = bundle.files.get("latents.jsonl")!;
    bytes[10] = bytes[10] === 0x31 ? 0x32 : 0x31;
    expect(await refusal(verifyBundle(bundle))).toMatch(/^latents\.jsonl: sha256 [0-9a-f]{64} differs/);
  });

  it("refuses a wrong formatVersion, an unknown manifest key and a mismatched embedding", async () => {
    const v2 = await buildBundle({ manifestPatch: (m) => (m.formatVersion = 2) });
    expect(await refusal(verifyBundle(v2))).toMatch(/^manifest\.json: formatVersion/);
    const extra = await buildBundle({ manifestPatch: (m) => (m.extra = true) });
    expect(await refusal(verifyBundle(extra))).toMatch(/^manifest\.json: .*extra/);
    const dim = await buildBundle({ dim: 256 });
    const res = await admin("/admin/releases", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ manifest: dim.manifestText }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/embedding\.dim 256 differs from the edge's 384/);
  });

  it("refuses unknown file names in the manifest and unlisted files in the bundle", async () => {
    const unknown = await buildBundle({ manifestPatch: (m) => ((m.files as Record<string, unknown>)["extra.jsonl"] = { rows: 0, bytes: 0, sha256: "0".repeat(64) }) });
    expect(await refusal(verifyBundle(unknown))).toMatch(/^manifest\.json: files/);
    const stray = await buildBundle();
    stray.files.set("notes.txt", new Uint8Array([1]));
    expect(await refusal(verifyBundle(stray))).toBe("notes.txt: present in the bundle but not listed in manifest.files");
  });

  it("names the file and line of a bad row", async () => {
    const rows = smallRows();
    (rows["latents.jsonl"]![4] as Record<string, unknown>).index = 8;
    expect(await refusal(verifyBundle(await buildBundle({ rows })))).toBe(
      "latents.jsonl:5: index 8 is not below the width 8 of 3-res-test",
    );
    const typo = smallRows();
    (typo["explanations.jsonl"]![2] as Record<string, unknown>).txet = "x";
    expect(await refusal(verifyBundle(await buildBundle({ rows: typo })))).toMatch(/^explanations\.jsonl:3: .*txet/);
    const broken = await buildBundle({ rawText: { "scores.jsonl": '{"explanation": 0}\n{oops\n' }, rows: { ...smallRows(), "scores.jsonl": [{}, {}] } });
    expect(await refusal(verifyBundle(broken))).toMatch(/^scores\.jsonl:1: /);
  });

  it("refuses a bad row uploaded straight to the server and keeps the serving release", async () => {
    const serving = await ingest(await buildBundle({ bundleId: "serving" }));
    const next = await buildBundle({ bundleId: "next" });
    const partial = await ingest(next, { stopAfterParts: 1 });
    const bad = '{"sae":"3-res-test","index":1,"density":0.1,"maxActivation":1,"meanActivation":1,"nActivations":1}\n{"sae":"nope","index":0,"density":null,"maxActivation":null,"meanActivation":null,"nActivations":null}\n';
    const res = await admin(`/admin/releases/${partial.release}/files/latents.jsonl?line=1`, { method: "PUT", body: bad });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('latents.jsonl:2: sae "nope" is not in saes.jsonl');
    const state = await (await admin(`/admin/releases/${partial.release}`)).json() as { release: { status: string; error: string } };
    expect(state.release).toMatchObject({ status: "failed", error: 'latents.jsonl:2: sae "nope" is not in saes.jsonl' });
    expect((await getJson("/v1/models/tiny-model")).body.release.id).toBe(serving.release);
  });

  it("refuses unit-norm violations in the vectors", async () => {
    const bundle = await buildBundle();
    const vectors = new Float32Array(bundle.files.get("explanation_vectors.f32")!.buffer.slice(0));
    vectors[0] = 5;
    const bytes = new Uint8Array(vectors.buffer);
    const { sha256Hex } = await import("../../src/bundle");
    const manifest = JSON.parse(bundle.manifestText);
    manifest.files["explanation_vectors.f32"].sha256 = await sha256Hex(bytes);
    bundle.files.set("explanation_vectors.f32", bytes);
    const err = await refusal(verifyBundle({ manifestText: JSON.stringify(manifest), files: bundle.files }));
    expect(err).toMatch(/^explanation_vectors\.f32: row 0 has L2 norm/);
  });

  it("reports BundleError with file and line fields", () => {
    const err = new BundleError("x.jsonl", 3, "bad");
    expect([err.file, err.line, err.message]).toEqual(["x.jsonl", 3, "x.jsonl:3: bad"]);
  });
});
