import { beforeAll, describe, expect, it } from "vitest";
import { MODEL, getJson, seed, tokenId } from "../compare/seed";

interface Tok { id: number; token: string | null; value: number }
interface Decodings { sae: string; layer: number; kind: string; index: number; decodings: { direction: string; top: Tok[]; bottom: Tok[] }[] }
interface ErrorBody { error: { code: string; message: string } }

beforeAll(seed);

describe("feature decodings", () => {
  it("decodes a latent's decoder direction into token texts, top descending and bottom ascending", async () => {
    const { status, body } = await getJson<Decodings>(`/v1/models/${MODEL}/saes/res-0/latents/3/decodings`);
    expect(status).toBe(200);
    expect(body.decodings).toHaveLength(1);
    const d = body.decodings[0]!;
    expect(d.direction).toBe("decoder");
    expect(d.top.map((t) => t.token)).toEqual([" dog", " dogs", "dog"]);
    expect(d.top[0]!.id).toBe(tokenId(" dog"));
    expect(d.bottom.map((t) => t.token)).toEqual([" cat", "<|endoftext|>"]);
  });

  it("serves a neuron's read and write directions by layer, in a fixed order", async () => {
    const { status, body } = await getJson<Decodings>(`/v1/models/${MODEL}/neurons/1/9/decodings`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ sae: "mlp-1", kind: "neurons", layer: 1, index: 9 });
    expect(body.decodings.map((d) => d.direction)).toEqual(["read_up", "read_gate", "write"]);
    const write = body.decodings[2]!;
    expect(write.top[0]).toEqual({ id: tokenId(" dog"), token: " dog", value: 3 });
  });

  it("filters one direction and caps the list", async () => {
    const { body } = await getJson<Decodings>(`/v1/models/${MODEL}/saes/mlp-1/latents/9/decodings?direction=write&limit=1`);
    expect(body.decodings.map((d) => d.direction)).toEqual(["write"]);
    expect(body.decodings[0]!.top).toHaveLength(1);
  });

  it.each([
    [`/v1/models/${MODEL}/saes/res-0/latents/4/decodings`, 404, "no LM-head decoding"],
    [`/v1/models/${MODEL}/saes/res-0/latents/3/decodings?direction=write`, 404, "direction write"],
    [`/v1/models/${MODEL}/saes/res-0/latents/3/decodings?direction=up`, 400, "direction"],
    [`/v1/models/${MODEL}/saes/res-0/latents/3/decodings?limit=101`, 400, "limit"],
    [`/v1/models/${MODEL}/saes/res-0/latents/999999999/decodings`, 404, "out of range"],
    [`/v1/models/${MODEL}/neurons/2/0/decodings`, 404, "no neuron set at layer 2"],
    [`/v1/models/${MODEL}/neurons/1/16/decodings`, 404, "out of range"],
    [`/v1/models/${MODEL}/neurons/x/1/decodings`, 400, "layer"],
    [`/v1/models/${MODEL}/saes/${encodeURIComponent("mlp-1;DROP TABLE vocab")}/latents/9/decodings`, 400, "SAE id"],
  ])("refuses %s with %i", async (path, status, words) => {
    const res = await getJson<ErrorBody>(path);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(words);
  });
});
