// The OpenAPI document says what the Worker does: a response that the Worker
// sends must validate against it (schemathesis checks that at run time, in
// scripts/fuzz.sh); these are the structural mistakes it found, checked fast.
import { describe, expect, it } from "vitest";
import { call } from "../core/helpers";

type Json = Record<string, unknown>;

async function spec(): Promise<Json> {
  return (await (await call("/openapi.json")).json()) as Json;
}

/** JSON-pointer-ish paths of every node for which `test` holds. */
function find(node: unknown, test: (n: Json) => boolean, at = ""): string[] {
  if (Array.isArray(node)) return node.flatMap((x, i) => find(x, test, `${at}/${i}`));
  if (!node || typeof node !== "object") return [];
  const n = node as Json;
  return [...(test(n) ? [at] : []), ...Object.entries(n).flatMap(([k, v]) => find(v, test, `${at}/${k}`))];
}

const nullType = (x: unknown) => {
  const t = (x as Json | null)?.type;
  return t === "null" || (Array.isArray(t) && t.includes("null"));
};

describe("OpenAPI document", () => {
  // H1: `.nullable()` on a registered schema renders as allOf [$ref, {type: [object, null]}],
  // which no null satisfies, so a documented `null` answer fails validation.
  it("never makes a referenced schema nullable through allOf (H1)", async () => {
    const broken = find(await spec(), (n) => {
      const all = n.allOf as unknown[] | undefined;
      return Array.isArray(all) && all.some((x) => typeof (x as Json).$ref === "string") && all.some(nullType);
    });
    expect(broken).toEqual([]);
  });

  // H2: integer parameters lose the bounds the validator enforces, so clients
  // (and the fuzzer) cannot know that limit=0 or index=-1 is refused.
  it("documents the bounds of every integer parameter (H2)", async () => {
    const s = await spec();
    const unbounded: string[] = [];
    for (const [path, ops] of Object.entries(s.paths as Record<string, Record<string, { parameters?: { name: string; in: string; schema: Json }[] }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) {
          if (p.schema.type === "integer" && p.schema.minimum === undefined) unbounded.push(`${method.toUpperCase()} ${path} ${p.in}.${p.name}`);
          if (p.schema.type === "integer" && p.schema.example !== undefined && typeof p.schema.example !== "number") unbounded.push(`${method.toUpperCase()} ${path} ${p.in}.${p.name}: string example`);
        }
      }
    }
    expect(unbounded).toEqual([]);
  });

  // H5: any route answers 401 to a bad key and 429 past the rate limit (the
  // middleware runs before every route), so every route must document both;
  // routes with a body can also answer 413, admin routes 403.
  it("documents the statuses the middleware can send on every route (H5)", async () => {
    const s = await spec();
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(s.paths as Record<string, Record<string, { requestBody?: unknown; responses: Json }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const need = ["401", "429", ...(op.requestBody ? ["413"] : []), ...(path.startsWith("/admin") ? ["403"] : [])];
        for (const status of need) if (!(status in op.responses)) missing.push(`${method.toUpperCase()} ${path}: ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
