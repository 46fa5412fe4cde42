import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("app shell", () => {
  it("answers an unknown route with the error body and a request id", async () => {
    const res = await exports.default.fetch("http://atlas.test/no/such/route");
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.requestId).toBe(res.headers.get("X-Request-Id"));
  });

  it("keeps a safe caller request id and replaces an unsafe one", async () => {
    const kept = await exports.default.fetch("http://atlas.test/x", { headers: { "X-Request-Id": "abc-123" } });
    expect(kept.headers.get("X-Request-Id")).toBe("abc-123");
    const replaced = await exports.default.fetch("http://atlas.test/x", { headers: { "X-Request-Id": "<script>" } });
    expect(replaced.headers.get("X-Request-Id")).not.toContain("<");
  });
});
