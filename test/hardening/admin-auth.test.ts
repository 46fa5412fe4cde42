// Every admin operation in the OpenAPI document refuses a missing, malformed,
// wrong, read-scoped and revoked key, in both header forms; keys are stored
// as hashes only; comparison copes with presented keys of any length.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyApiKey } from "../../src/middleware/api-keys";
import { admin, ADMIN_KEY, call } from "../core/helpers";

interface Operation {
  method: string;
  path: string;
}

async function adminOperations(): Promise<Operation[]> {
  const spec = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    if (!path.startsWith("/admin")) continue;
    const concrete = path.replace("{id}", path.startsWith("/admin/keys") ? "0123456789abcdef" : "1").replace("{file}", "saes.jsonl");
    for (const method of Object.keys(methods)) ops.push({ method: method.toUpperCase(), path: concrete });
  }
  return ops;
}

function send(op: Operation, headers: Record<string, string>) {
  const withBody = op.method === "POST" || op.method === "PUT";
  const url = op.method === "PUT" ? `${op.path}?line=1` : op.path;
  return call(url, { method: op.method, headers: { "Content-Type": "application/json", ...headers }, body: withBody ? "{}" : undefined });
}

async function newKey(scope: "admin" | "read") {
  const res = await admin("/admin/keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: `hardening-${scope}`, scope }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; key: string };
}

describe("admin routes refuse every bad key", () => {
  it("covers every admin operation of the spec", async () => {
    const ops = await adminOperations();
    expect(ops.length).toBeGreaterThanOrEqual(9);
    const readKey = (await newKey("read")).key;
    const revokedAdmin = await newKey("admin");
    expect((await admin(`/admin/keys/${revokedAdmin.id}`, { method: "DELETE" })).status).toBe(200);
    const [, id] = /^fa_([0-9a-f]{16})_/.exec(readKey)!;
    const cases: [string, Record<string, string>, number][] = [
      ["no key", {}, 401],
      ["empty bearer", { Authorization: "Bearer " }, 401],
      ["wrong key", { Authorization: "Bearer not-the-key" }, 401],
      ["admin key plus one character", { Authorization: `Bearer ${ADMIN_KEY}x` }, 401],
      ["admin key minus one character", { Authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}` }, 401],
      ["admin key in another case", { Authorization: `Bearer ${ADMIN_KEY.toUpperCase()}` }, 401],
      ["real key id, wrong secret", { Authorization: `Bearer fa_${id}_${"A".repeat(43)}` }, 401],
      ["wrong key in X-Api-Key", { "X-Api-Key": "fa_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAA" }, 401],
      ["read-scoped key", { Authorization: `Bearer ${readKey}` }, 403],
      ["read-scoped key in X-Api-Key", { "X-Api-Key": readKey }, 403],
      ["revoked admin key", { Authorization: `Bearer ${revokedAdmin.key}` }, 401],
      ["basic auth with the admin key", { Authorization: `Basic ${btoa(`admin:${ADMIN_KEY}`)}` }, 401],
    ];
    for (const op of ops) {
      for (const [what, headers, status] of cases) {
        const res = await send(op, headers);
        expect(res.status, `${op.method} ${op.path} with ${what}`).toBe(status);
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code, `${op.method} ${op.path} with ${what}`).toBe(status === 401 ? "UNAUTHORIZED" : "FORBIDDEN");
      }
    }
  });

  it("keeps a revoked admin key out of reads too, while the bootstrap key still works", async () => {
    const k = await newKey("admin");
    expect((await call("/admin/releases", { headers: { Authorization: `Bearer ${k.key}` } })).status).toBe(200);
    expect((await admin(`/admin/keys/${k.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call("/admin/releases", { headers: { Authorization: `Bearer ${k.key}` } })).status).toBe(401);
    expect((await call("/v1/models", { headers: { Authorization: `Bearer ${k.key}` } })).status).toBe(401);
    expect((await admin("/admin/releases")).status).toBe(200);
  });
});

describe("keys at rest", () => {
  it("stores no column holding the key or its secret part", async () => {
    const { id, key } = await newKey("read");
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(id).first<Record<string, unknown>>();
    expect(row).not.toBeNull();
    const secret = key.split("_").slice(2).join("_");
    for (const [column, value] of Object.entries(row!)) {
      expect(String(value), column).not.toContain(secret);
      expect(String(value), column).not.toContain(secret.slice(0, 12));
    }
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(row!.hash).toBe(digest);
  });

  it("never returns hashes or keys from the key listing", async () => {
    const { key } = await newKey("read");
    const text = await (await admin("/admin/keys")).text();
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toContain(key);
  });
});

describe("key comparison", () => {
  it("answers null, never throws, for presented keys of any length", async () => {
    const { key } = await newKey("read");
    const [, id] = /^fa_([0-9a-f]{16})_/.exec(key)!;
    const presented = ["", "x", ADMIN_KEY.slice(0, 1), ADMIN_KEY.slice(0, -1), `${ADMIN_KEY}\0`, `${ADMIN_KEY} `, "é".repeat(5000),
      `fa_${id}_${"B".repeat(20)}`, `fa_${id}_${"B".repeat(100)}`, `${key.slice(0, -1)}`, `${key}A`];
    for (const p of presented) expect(await verifyApiKey(env, p), JSON.stringify(p.slice(0, 40))).toBeNull();
    expect(await verifyApiKey(env, key)).toEqual({ id, scope: "read" });
    expect(await verifyApiKey(env, ADMIN_KEY)).toEqual({ id: "bootstrap-admin", scope: "admin" });
  });

  it("refuses, without a 500, a key whose stored hash is damaged (digests of different lengths)", async () => {
    const { id, key } = await newKey("read");
    for (const damaged of ["", "abc", "00", "f".repeat(62), "f".repeat(66)]) {
      await env.DB.prepare("UPDATE api_keys SET hash = ? WHERE id = ?").bind(damaged, id).run();
      expect(await verifyApiKey(env, key)).toBeNull();
      expect((await call("/v1/models", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
    }
  });
});
