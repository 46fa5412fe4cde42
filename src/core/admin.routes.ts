// Admin routes (admin-scoped API key required): bundle ingest in parts,
// release listing and deletion, API key management.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { commitRelease } from "../ingest/commit";
import { deleteRelease } from "../ingest/delete-release";
import { ingestPart } from "../ingest/parts";
import { fileProgress, listReleases, loadRelease, openRelease } from "../ingest/releases";
import { createApiKey } from "../middleware/api-keys";
import { requireAdmin } from "../middleware/auth";
import { createRouter } from "../router";
import { isolateMemory } from "../search/isolate-memory";
import { errors, json } from "./schemas";

const security = [{ apiKey: [] }];
const ADMIN_ERRORS = errors(400, 401, 403, 404, 409, 429);

const ReleaseRecordSchema = z
  .object({
    id: z.number().int(),
    modelId: z.string(),
    bundleId: z.string(),
    manifestSha256: z.string(),
    status: z.enum(["staging", "active", "retired", "failed"]),
    error: z.string().nullable(),
    createdAt: z.string(),
    activatedAt: z.string().nullable(),
  })
  .openapi("ReleaseRecord");

const FileProgressSchema = z
  .object({ file: z.string(), partsDone: z.number().int(), rowsDone: z.number().int(), rows: z.number().int(), complete: z.boolean() })
  .openapi("FileProgress");

const ReleaseStateSchema = z.object({ release: ReleaseRecordSchema, progress: z.array(FileProgressSchema) }).openapi("ReleaseState");

const ReleaseIdParam = z.coerce
  .number({ error: "release id must be an integer" })
  .int("release id must be an integer")
  .min(1, "release id must be >= 1")
  .max(2 ** 31 - 1, "release id is too large")
  .openapi({ param: { name: "id", in: "path" }, type: "integer", minimum: 1, maximum: 2 ** 31 - 1, example: 1 });

const openReleaseRoute = createRoute({
  method: "post",
  path: "/admin/releases",
  tags: ["Admin"],
  security,
  summary: "Create or resume the release of a bundle manifest",
  description:
    "The release is identified by the model id and the sha256 of the manifest text: sending the same manifest again returns the same release (resumable while staging, a no-op once active).",
  request: {
    body: {
      content: { "application/json": { schema: z.object({ manifest: z.string().min(2).max(1_000_000) }).strict() } },
      required: true,
    },
  },
  responses: {
    200: json(ReleaseStateSchema.extend({ created: z.boolean() }), "The release and its ingest progress"),
    ...errors(400, 401, 403, 413, 422, 429),
  },
});

const listReleasesRoute = createRoute({
  method: "get",
  path: "/admin/releases",
  tags: ["Admin"],
  security,
  summary: "All releases of all models",
  responses: { 200: json(z.object({ releases: z.array(ReleaseRecordSchema) }), "Releases"), ...errors(401, 403, 429) },
});

const getReleaseRoute = createRoute({
  method: "get",
  path: "/admin/releases/{id}",
  tags: ["Admin"],
  security,
  summary: "One release and its ingest progress",
  request: { params: z.object({ id: ReleaseIdParam }) },
  responses: { 200: json(ReleaseStateSchema, "The release"), ...ADMIN_ERRORS },
});

const putPartRoute = createRoute({
  method: "put",
  path: "/admin/releases/{id}/files/{file}",
  tags: ["Admin"],
  security,
  summary: "Upload one part of one bundle file",
  description:
    "The body holds whole lines of a .jsonl file (NDJSON) or whole float32 vectors of explanation_vectors.f32; `line` is the 1-based line (or vector row) it starts at. A part at or before the stored progress is re-applied idempotently.",
  request: {
    params: z.object({
      id: ReleaseIdParam,
      file: z.string().max(64).openapi({ param: { name: "file", in: "path" }, example: "explanations.jsonl" }),
    }),
    query: z.object({
      line: z.coerce.number({ error: "line must be an integer" }).int("line must be an integer").min(1, "line must be >= 1").openapi({ type: "integer", minimum: 1, example: 1 }),
    }),
    body: {
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
      required: true,
    },
  },
  responses: { 200: json(FileProgressSchema, "Progress of the file after this part"), ...errors(400, 401, 403, 404, 409, 413, 422, 429) },
});

const commitRoute = createRoute({
  method: "post",
  path: "/admin/releases/{id}/commit",
  tags: ["Admin"],
  security,
  summary: "Check a fully uploaded release and switch it live",
  description: "Checks every file's stored row count against the manifest, builds the search index, then makes it the model's active release in one transaction; the previous release is retired.",
  request: { params: z.object({ id: ReleaseIdParam }) },
  responses: { 200: json(z.object({ release: ReleaseRecordSchema }), "The release, now active"), ...errors(400, 401, 403, 404, 409, 422, 429) },
});

const deleteReleaseRoute = createRoute({
  method: "delete",
  path: "/admin/releases/{id}",
  tags: ["Admin"],
  security,
  summary: "Delete a release that is not serving (its rows and blobs)",
  request: { params: z.object({ id: ReleaseIdParam }) },
  responses: { 200: json(z.object({ deleted: z.number().int() }), "Deleted"), ...ADMIN_ERRORS },
});

const KeySchema = z
  .object({ id: z.string(), name: z.string(), scope: z.enum(["admin", "read"]), createdAt: z.string(), revokedAt: z.string().nullable() })
  .openapi("ApiKey");

const createKeyRoute = createRoute({
  method: "post",
  path: "/admin/keys",
  tags: ["Admin"],
  security,
  summary: "Create an API key (the key is shown only in this response)",
  request: {
    body: {
      content: {
        "application/json": {
          schema: z.object({ name: z.string().min(1).max(100), scope: z.enum(["admin", "read"]).default("read") }).strict(),
        },
      },
      required: true,
    },
  },
  responses: {
    200: json(z.object({ id: z.string(), key: z.string(), name: z.string(), scope: z.enum(["admin", "read"]) }), "The new key"),
    ...errors(400, 401, 403, 413, 429),
  },
});

const listKeysRoute = createRoute({
  method: "get",
  path: "/admin/keys",
  tags: ["Admin"],
  security,
  summary: "API keys (ids and names; keys themselves are never stored)",
  responses: { 200: json(z.object({ keys: z.array(KeySchema) }), "Keys"), ...errors(401, 403, 429) },
});

const revokeKeyRoute = createRoute({
  method: "delete",
  path: "/admin/keys/{id}",
  tags: ["Admin"],
  security,
  summary: "Revoke an API key",
  request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, "key id is 16 hex digits").openapi({ param: { name: "id", in: "path" } }) }) },
  responses: { 200: json(z.object({ id: z.string(), revoked: z.boolean() }), "Revoked"), ...ADMIN_ERRORS },
});

const IsolateMemorySchema = z
  .object({
    indexes: z.array(
      z.object({ release: z.number().int(), rows: z.number().int(), bytes: z.number().int(), exactScores: z.boolean(), signBits: z.boolean() }),
    ),
    queryModel: z.object({
      loaded: z.boolean(),
      wasmMemoryBytes: z.number().int().nullable(),
      cachedQueries: z.number().int(),
      cacheCapacity: z.number().int(),
    }),
    accountedBytes: z.number().int(),
  })
  .openapi("IsolateMemory");

const isolateRoute = createRoute({
  method: "get",
  path: "/admin/isolate",
  tags: ["Admin"],
  security,
  summary: "What search holds in the memory of the isolate that answers (indexes, query model heap, query cache)",
  description:
    "Per isolate: each request may reach another isolate, and a new isolate holds nothing until its first search. A Worker isolate has 128 MB.",
  responses: { 200: json(IsolateMemorySchema, "This isolate's search memory"), ...errors(401, 403, 429) },
});

export const adminRoutes = () => {
  const router = createRouter();
  router.use("/admin/*", requireAdmin());
  router.use("/admin", requireAdmin());
  return router
    .openapi(openReleaseRoute, async (c) => {
      const opened = await openRelease(c.env, c.req.valid("json").manifest);
      return c.json({ release: opened.record, created: opened.created, progress: await fileProgress(c.env, opened) }, 200);
    })
    .openapi(listReleasesRoute, async (c) => c.json({ releases: await listReleases(c.env) }, 200))
    .openapi(isolateRoute, (c) => c.json(isolateMemory(), 200))
    .openapi(getReleaseRoute, async (c) => {
      const release = await loadRelease(c.env, c.req.valid("param").id);
      return c.json({ release: release.record, progress: await fileProgress(c.env, release) }, 200);
    })
    .openapi(putPartRoute, async (c) => {
      const { id, file } = c.req.valid("param");
      const { line } = c.req.valid("query");
      const body = new Uint8Array(await c.req.arrayBuffer());
      if (body.byteLength === 0) throw new ApiError("BAD_REQUEST", "empty part");
      return c.json(await ingestPart(c.env, id, file, line, body), 200);
    })
    .openapi(commitRoute, async (c) => c.json({ release: await commitRelease(c.env, c.req.valid("param").id) }, 200))
    .openapi(deleteReleaseRoute, async (c) => {
      const id = c.req.valid("param").id;
      await deleteRelease(c.env, id);
      return c.json({ deleted: id }, 200);
    })
    .openapi(createKeyRoute, async (c) => {
      const { name, scope } = c.req.valid("json");
      const created = await createApiKey(c.env.DB, name, scope);
      return c.json({ ...created, name, scope }, 200);
    })
    .openapi(listKeysRoute, async (c) => {
      const { results } = await c.env.DB.prepare("SELECT id, name, scope, created_at, revoked_at FROM api_keys ORDER BY created_at, id").all<{
        id: string; name: string; scope: "admin" | "read"; created_at: string; revoked_at: string | null;
      }>();
      return c.json({ keys: results.map((k) => ({ id: k.id, name: k.name, scope: k.scope, createdAt: k.created_at, revokedAt: k.revoked_at })) }, 200);
    })
    .openapi(revokeKeyRoute, async (c) => {
      const id = c.req.valid("param").id;
      const result = await c.env.DB.prepare("UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP WHERE id = ? AND revoked_at IS NULL").bind(id).run();
      if (result.meta.changes === 0) {
        const exists = await c.env.DB.prepare("SELECT 1 FROM api_keys WHERE id = ?").bind(id).first();
        if (!exists) throw new ApiError("NOT_FOUND", `no API key ${id}`);
      }
      return c.json({ id, revoked: true }, 200);
    });
};
