import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getJson } from "../core/helpers";
import { seedSearch } from "./search-bundle";

// Storage here never receives the query model files.
beforeAll(async () => {
  await seedSearch({ modelFiles: false });
});

describe("search without its model files", () => {
  it("answers semantic and hybrid search with a 503 naming what is missing", async () => {
    for (const mode of ["semantic", "hybrid"]) {
      const { status, body } = await getJson<{ error: { code: string; message: string } }>(`/v1/search?q=legal&mode=${mode}`);
      expect(status, mode).toBe(503);
      expect(body.error.code).toBe("UNAVAILABLE");
      expect(body.error.message).toMatch(/models\/all-minilm-l6-v2-q8mix\/model\.onnx/);
    }
  });

  it("still serves lexical search", async () => {
    const { status, body } = await getJson<{ results: unknown[] }>("/v1/search?q=legal&mode=lexical");
    expect(status).toBe(200);
    expect(body.results.length).toBeGreaterThan(0);
  });

  it("answers a 503 when a release's index is gone from R2", async () => {
    const { results } = await env.DB.prepare("SELECT active_release AS r FROM models").all<{ r: number }>();
    await env.BLOBS.delete(`releases/${results[0]!.r}/search/head.bin`);
    const { status, body } = await getJson<{ error: { code: string; message: string } }>("/v1/latents/gemma-2-2b/20-gemmascope-res-16k/0/similar");
    expect(status).toBe(503);
    expect(body.error.message).toMatch(/search index/);
  });
});
