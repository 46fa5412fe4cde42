import { beforeAll, describe, expect, it } from "vitest";
import { buildBundle } from "../fixtures/small-bundle";
import { call, getJson, ingest } from "./helpers";

beforeAll(async () => {
  await ingest(await buildBundle());
});

describe("Neuronpedia-compatible routes", () => {
  it("returns a feature with Neuronpedia's field names", async () => {
    const { status, body } = await getJson("/api/feature/tiny-model/3-res-test/0");
    expect(status).toBe(200);
    expect(body).toMatchObject({ modelId: "tiny-model", layer: "3-res-test", index: "0", sourceSetName: "res-test", frac_nonzero: 0.01, maxActApprox: 2 });
    expect(body.explanations.map((e: { description: string }) => e.description)).toEqual(["legal citations and court cases", "court rulings"]);
    expect(body.explanations[0]).toMatchObject({ modelId: "tiny-model", source: "3-res-test", index: "0", explanationModelName: "explainer-a", typeName: "delphi-default" });
    expect(body.pos_str).toEqual([" court", " law"]);
    expect(body.neg_values).toEqual([-1.2, -0.5]);
    expect(body.activations[0]).toMatchObject({ tokens: ["The", " court", " ruled"], values: [0, 3, 0.5], maxValue: 3, maxValueTokenIndex: 1 });
    expect(body.topkCosSimIndices).toEqual([2, 1]);
  });

  it("404s for a missing feature", async () => {
    expect((await getJson("/api/feature/tiny-model/3-res-test/999")).status).toBe(404);
    expect((await getJson("/api/feature/nope/3-res-test/1")).status).toBe(404);
  });

  it("returns many features in request order from POST /api/features, leaving out missing ones", async () => {
    const res = await call("/api/features", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify([
        { modelId: "tiny-model", layer: "4-res-test", index: 1 },
        { modelId: "tiny-model", layer: "3-res-test", index: "0", maxActsToReturn: 1 },
        { modelId: "tiny-model", layer: "3-res-test", index: 77 },
      ]),
    });
    expect(res.status).toBe(200);
    const features = (await res.json()) as { layer: string; index: string; activations: unknown[] }[];
    expect(features.map((f) => `${f.layer}/${f.index}`)).toEqual(["4-res-test/1", "3-res-test/0"]);
    expect(features[1]!.activations).toHaveLength(1);
    const bad = await call("/api/features", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ not: "an array" }) });
    expect(bad.status).toBe(400);
  });
});
