// The browser test's bundle passes the same validation and ingest as any
// other, and its pages hold what the browser test clicks on.
import { beforeAll, describe, expect, it } from "vitest";
import { call, ingest } from "../core/helpers";
import { DEMO_MODEL, demoBundle } from "./demo-rows";

beforeAll(async () => {
  await ingest(await demoBundle(), { rowsPerPart: 200 });
});

describe("browser demo bundle", () => {
  it("ingests, and the heatmap is a full 4 x 4 matrix", async () => {
    const res = await call(`/v1/models/${DEMO_MODEL}/similarity`);
    const body = (await res.json()) as { values: (number | null)[][] };
    expect(body.values).toHaveLength(4);
    expect(body.values.flat().every((v) => v !== null)).toBe(true);
  });

  it("matches a latent live to the same theme in another layer", async () => {
    const res = await call(`/v1/models/${DEMO_MODEL}/saes/L1-res/latents/0/matches/live?target=L3-res&limit=3`);
    const body = (await res.json()) as { matches: { index: number; explanation: string }[] };
    expect(body.matches[0]).toMatchObject({ index: 0, explanation: "dog breeds and dog owners" });
  });

  it("links a latent to its neighbour in the next layer", async () => {
    const html = await (await call(`/models/${DEMO_MODEL}/saes/L1-res/0`)).text();
    expect(html).toContain(`href="/models/${DEMO_MODEL}/saes/L2-res/0"`);
    expect(html).toContain("dogs and puppies");
  });
});
