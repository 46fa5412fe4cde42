// Shared test plumbing: call the Worker in-process and ingest bundles
// through the real admin routes, exactly as the CLI does.
import { env, exports } from "cloudflare:workers";
import type { BundleBytes } from "../../src/bundle";
import { planUpload, uploadBundle, verifyBundle, type UploadResult } from "../../src/bundle";

export const ADMIN_KEY = env.ADMIN_KEY!;
export const BASE = "http://atlas.test";

type Fetcher = { fetch(input: string, init?: RequestInit): Promise<Response> };
const worker = (exports as unknown as { default: Fetcher }).default;

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(`${BASE}${path}`, init);
}

export function admin(path: string, init: RequestInit = {}): Promise<Response> {
  return call(path, { ...init, headers: { Authorization: `Bearer ${ADMIN_KEY}`, ...(init.headers as Record<string, string>) } });
}

export async function getJson<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(path, init);
  return { status: res.status, body: (await res.json()) as T, res };
}

export async function ingest(bundle: BundleBytes, opts: { stopAfterParts?: number; rowsPerPart?: number } = {}): Promise<UploadResult> {
  const manifest = await verifyBundle(bundle);
  return uploadBundle({
    baseUrl: BASE,
    adminKey: ADMIN_KEY,
    fetch: (url, init) => worker.fetch(url, init),
    manifestText: bundle.manifestText,
    manifest,
    parts: planUpload(manifest, bundle.files, { rowsPerPart: opts.rowsPerPart ?? 3 }),
    maxAttempts: 1,
    stopAfterParts: opts.stopAfterParts,
  });
}

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...params).first<{ n: number }>();
  return row!.n;
}
