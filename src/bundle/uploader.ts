// Client side of the admin ingest routes, shared by the CLI and the tests:
// open (or resume) the release, skip what the server already holds, upload
// the remaining parts with retries, then commit.
import type { Manifest } from "./manifest";
import type { UploadPart } from "./upload-plan";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface UploadOptions {
  baseUrl: string;
  adminKey: string;
  fetch: FetchLike;
  manifestText: string;
  manifest: Manifest;
  parts: UploadPart[];
  /** Tries per request; waits 2 ** attempt * baseDelayMs between them. */
  maxAttempts?: number;
  baseDelayMs?: number;
  onProgress?: (p: { file: string; rowsDone: number; rows: number; partsSent: number; partsTotal: number }) => void;
  /** Stop after this many parts (tests use it to simulate an interrupted ingest). */
  stopAfterParts?: number;
}

export interface UploadResult {
  release: number;
  status: string;
  created: boolean;
  partsSent: number;
  committed: boolean;
}

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

interface ReleaseState {
  release: { id: number; status: string };
  created?: boolean;
  progress: { file: string; rowsDone: number; rows: number; complete: boolean }[];
}

/** 4xx answers other than 429 are final; network errors, 429 and 5xx are retried. */
async function call<T>(opts: UploadOptions, method: string, path: string, body?: BodyInit, contentType?: string): Promise<T> {
  const attempts = opts.maxAttempts ?? 5;
  const baseDelay = opts.baseDelayMs ?? 500;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * baseDelay));
    let res: Response;
    try {
      res = await opts.fetch(`${opts.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${opts.adminKey}`, ...(contentType ? { "Content-Type": contentType } : {}) },
        body,
      });
    } catch (err) {
      lastError = err;
      continue;
    }
    if (res.ok) return (await res.json()) as T;
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // not our error body; keep the raw text
    }
    lastError = new UploadError(res.status, `${method} ${path}: ${res.status} ${message}`);
    if (res.status < 500 && res.status !== 429) throw lastError;
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

export async function uploadBundle(opts: UploadOptions): Promise<UploadResult> {
  const opened = await call<ReleaseState>(opts, "POST", "/admin/releases", JSON.stringify({ manifest: opts.manifestText }), "application/json");
  const id = opened.release.id;
  if (opened.release.status === "active") {
    return { release: id, status: "active", created: false, partsSent: 0, committed: false };
  }
  const done = new Map(opened.progress.map((p) => [p.file, p.rowsDone]));
  const pending = opts.parts.filter((p) => p.firstLine - 1 + p.rows > (done.get(p.file) ?? 0));
  let partsSent = 0;
  for (const part of pending) {
    if (opts.stopAfterParts !== undefined && partsSent >= opts.stopAfterParts) {
      return { release: id, status: "staging", created: opened.created ?? false, partsSent, committed: false };
    }
    const progress = await call<{ file: string; rowsDone: number; rows: number }>(
      opts,
      "PUT",
      `/admin/releases/${id}/files/${encodeURIComponent(part.file)}?line=${part.firstLine}`,
      part.body,
      "application/octet-stream",
    );
    partsSent++;
    opts.onProgress?.({ file: part.file, rowsDone: progress.rowsDone, rows: progress.rows, partsSent, partsTotal: pending.length });
  }
  const committed = await call<{ release: { status: string } }>(opts, "POST", `/admin/releases/${id}/commit`);
  return { release: id, status: committed.release.status, created: opened.created ?? false, partsSent, committed: true };
}
