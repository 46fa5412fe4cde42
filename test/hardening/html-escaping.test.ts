// No route reflects input into HTML unescaped: every HTML route (the explorer
// pages and /docs) with script-carrying payloads in each query parameter and
// path segment, and with the same payloads stored in the data it renders.
import { beforeAll, describe, expect, it } from "vitest";
import { call, ingest } from "../core/helpers";
import { PAYLOADS, HOSTILE_MODEL, dangerousIn, hostileBundle } from "./hostile-input";

const M = HOSTILE_MODEL;
/** Every HTML route with the query parameters it reads. */
const PAGES: { path: string; params: string[] }[] = [
  { path: "/", params: ["q", "model", "mode"] },
  { path: `/models/${M}`, params: ["method", "measure"] },
  { path: `/models/${M}/compare/3-res-test/4-res-test`, params: [] },
  { path: `/models/${M}/saes/3-res-test/0`, params: ["live"] },
  { path: `/models/${M}/saes/3-res-test/1`, params: ["live"] },
  { path: `/models/${M}/tokens`, params: ["token", "match"] },
  { path: "/docs", params: [] },
];

const enc = encodeURIComponent;

function expectSafe(html: string, where: string) {
  expect(dangerousIn(html), `unescaped markup in ${where}`).toEqual([]);
}

beforeAll(async () => {
  const result = await ingest(await hostileBundle());
  expect(result.committed).toBe(true);
});

describe("HTML routes escape what they reflect", () => {
  it("renders stored payloads (explanations, explainers, tokens) escaped", async () => {
    for (const { path } of PAGES) {
      const res = await call(path);
      const html = await res.text();
      expect(res.status, path).toBe(200);
      expectSafe(html, path);
    }
    const latent = await (await call(`/models/${M}/saes/3-res-test/0`)).text();
    // The payload is there, as text: the page shows the stored explanation.
    expect(latent).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("escapes payloads in every query parameter", async () => {
    let tried = 0;
    for (const { path, params } of PAGES) {
      for (const param of params) {
        for (const payload of PAYLOADS) {
          const url = `${path}?${param}=${enc(payload)}`;
          const res = await call(url);
          expect(res.status, url).toBeLessThan(500);
          expectSafe(await res.text(), url);
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(30);
  });

  it("escapes payloads in every path segment, on pages and on their error pages", async () => {
    const templates = [
      (x: string) => `/models/${x}`,
      (x: string) => `/models/${M}/compare/${x}/4-res-test`,
      (x: string) => `/models/${M}/compare/3-res-test/${x}`,
      (x: string) => `/models/${x}/saes/3-res-test/0`,
      (x: string) => `/models/${M}/saes/${x}/0`,
      (x: string) => `/models/${M}/saes/3-res-test/${x}`,
      (x: string) => `/models/${x}/tokens`,
      (x: string) => `/${x}`,
    ];
    for (const t of templates) {
      for (const payload of PAYLOADS) {
        const url = t(enc(payload));
        const res = await call(url);
        expect(res.status, url).toBeLessThan(500);
        expectSafe(await res.text(), url);
      }
    }
  });

  it("sends a strict Content-Security-Policy and nosniff with every explorer page", async () => {
    for (const { path } of PAGES.filter((p) => p.path !== "/docs")) {
      const res = await call(path);
      expect(res.headers.get("Content-Type"), path).toMatch(/^text\/html/);
      expect(res.headers.get("Content-Security-Policy"), path).toMatch(/default-src 'none'/);
      expect(res.headers.get("Content-Security-Policy"), path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(res.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
    }
  });

  it("answers JSON routes as JSON even when the input looks like markup", async () => {
    for (const payload of PAYLOADS) {
      for (const path of [`/v1/models/${enc(payload)}`, `/v1/search?q=${enc(payload)}&mode=lexical`, `/api/feature/${M}/${enc(payload)}/0`]) {
        const res = await call(path);
        expect(res.status, path).toBeLessThan(500);
        expect(res.headers.get("Content-Type"), path).toMatch(/^application\/json/);
      }
    }
  });
});
