// Request bodies and query strings have size caps: 413 for bodies past the
// limit (with or without Content-Length), 400 for oversized parameters,
// lists and pages; never a 5xx.
import { describe, expect, it } from "vitest";
import { admin, call } from "../core/helpers";

const PUBLIC_LIMIT = 64 * 1024;
const ADMIN_LIMIT = 16 * 1024 * 1024;
const jsonPost = (body: string | ReadableStream, headers: Record<string, string> = {}) =>
  ({ method: "POST", headers: { "Content-Type": "application/json", ...headers }, body, duplex: "half" }) as RequestInit;

function stream(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(" ".repeat(8192));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

async function expectError(res: Response, status: number, code: string, what: string) {
  expect(res.status, what).toBe(status);
  const body = (await res.json()) as { error: { code: string } };
  expect(body.error.code, what).toBe(code);
}

const PUBLIC_POSTS = ["/v1/latents/batch", "/v1/search", "/api/features", "/api/explanation/search", "/api/explanation/search-model", "/api/explanation/search-all"];

describe("body caps", () => {
  it("refuses public bodies over 64 KiB with 413, by Content-Length and by streamed size", async () => {
    const big = JSON.stringify({ q: "x".repeat(PUBLIC_LIMIT) });
    for (const path of PUBLIC_POSTS) {
      await expectError(await call(path, jsonPost(big)), 413, "PAYLOAD_TOO_LARGE", `${path} with Content-Length`);
      await expectError(await call(path, jsonPost(stream(PUBLIC_LIMIT + 8192))), 413, "PAYLOAD_TOO_LARGE", `${path} streamed`);
    }
  });

  it("accepts a body just under the public cap (it is then judged on content, not size)", async () => {
    const res = await call("/v1/search", jsonPost(JSON.stringify({ q: "court", pad: "x".repeat(PUBLIC_LIMIT - 100) })));
    expect(res.status).not.toBe(413);
    expect(res.status).toBeLessThan(500);
  });

  it("refuses admin bodies over 16 MiB with 413 and never reads them as a part", async () => {
    const res = await admin("/admin/releases/1/files/latents.jsonl?line=1", {
      method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: stream(ADMIN_LIMIT + 8192), duplex: "half",
    } as RequestInit);
    await expectError(res, 413, "PAYLOAD_TOO_LARGE", "admin part over 16 MiB");
  });

  it("refuses an oversized body on a route that takes none, without a 5xx", async () => {
    const res = await call("/v1/models", jsonPost(stream(PUBLIC_LIMIT + 8192)));
    expect([405, 413]).toContain(res.status);
  });

  it("refuses malformed and wrongly typed JSON bodies with 400", async () => {
    for (const path of PUBLIC_POSTS) {
      for (const body of ["{", "null", "[]", "\"x\"", "{\"__proto__\":{\"polluted\":1}}", "1e400"]) {
        const res = await call(path, jsonPost(body));
        expect(res.status, `${path} ${body}`).toBe(400);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("query and list caps", () => {
  const long = (n: number) => "a".repeat(n);
  const cases: [string, string][] = [
    ["search query over 1000 characters", `/v1/search?q=${long(1001)}`],
    ["search limit over the cap", "/v1/search?q=court&limit=101"],
    ["search limit of zero", "/v1/search?q=court&limit=0"],
    ["negative search limit", "/v1/search?q=court&limit=-1"],
    ["search limit that is not a number", "/v1/search?q=court&limit=1e9"],
    ["empty search query", "/v1/search?q=%20%20"],
    ["unknown search mode", "/v1/search?q=court&mode=regex"],
    ["too many SAEs in a filter", `/v1/search?q=court&sae=${Array.from({ length: 21 }, (_, i) => `s${i}`).join(",")}`],
    ["overlong SAE filter", `/v1/search?q=court&sae=${long(2001)}`],
    ["listing page over the cap", "/v1/models/tiny-model/saes/3-res-test/latents?limit=501"],
    ["overlong cursor", `/v1/models/tiny-model/saes/3-res-test/latents?cursor=${long(201)}`],
    ["forged cursor", "/v1/models/tiny-model/saes/3-res-test/latents?cursor=eyJhZnRlciI6LTk5fQ"],
    ["index past 2^31", "/v1/latents/tiny-model/3-res-test/99999999999"],
    ["overlong model id", `/v1/models/${long(65)}`],
    ["overlong SAE id", `/v1/models/tiny-model/saes/${long(129)}`],
  ];
  it.each(cases)("answers 400 for %s", async (_what, path) => {
    await expectError(await call(path), 400, "BAD_REQUEST", path);
  });

  it("refuses batch lists past 100 entries", async () => {
    const latents = Array.from({ length: 101 }, (_, i) => ({ model: "tiny-model", sae: "3-res-test", index: i }));
    await expectError(await call("/v1/latents/batch", jsonPost(JSON.stringify({ latents }))), 400, "BAD_REQUEST", "batch of 101");
    const refs = Array.from({ length: 101 }, (_, i) => ({ modelId: "tiny-model", layer: "3-res-test", index: i }));
    await expectError(await call("/api/features", jsonPost(JSON.stringify(refs))), 400, "BAD_REQUEST", "Neuronpedia batch of 101");
  });

  it("answers a very long query string (32 KiB) with a 4xx, not a 5xx", async () => {
    const res = await call(`/v1/search?q=court&pad=${long(32 * 1024)}`);
    expect(res.status).toBeLessThan(500);
  });
});
