// Runs in Node, beside the test runner: workerd tests cannot read the disk,
// so the search tests fetch model files and fixtures through this service
// binding (SEARCH_FIXTURES in vitest.config.ts). Only files under the listed
// folders are served.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Response, type Request } from "miniflare";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVED = ["models/", "test/fixtures/", "test/search/fixtures/"];

export async function searchFixtures(request: Request): Promise<Response> {
  const rel = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, "");
  if (rel.includes("..") || !SERVED.some((dir) => rel.startsWith(dir))) {
    return new Response(`not served: ${rel}`, { status: 403 });
  }
  try {
    return new Response(await readFile(path.join(ROOT, rel)));
  } catch {
    return new Response(`no such fixture: ${rel}`, { status: 404 });
  }
}
