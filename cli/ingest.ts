// npm run ingest -- <bundle dir> [--url http://127.0.0.1:8787] [--remote] [--prune]
//
// Validates the whole bundle locally (sizes, sha256, every row; refusals name
// file and line), then streams it to the admin routes in parts, resuming from
// what the server already holds and retrying failed requests with backoff.
// --remote targets a deployed Worker (--url or FEATURE_ATLAS_URL, https).
// --prune deletes the model's retired releases once the new one is live.
import path from "node:path";
import { parseArgs } from "node:util";
import { planUpload, uploadBundle, verifyBundle } from "../src/bundle";
import { adminKey } from "./admin-key";
import { readBundleDir } from "./read-bundle-dir";

const USAGE = "usage: npm run ingest -- <bundle dir> [--url http://127.0.0.1:8787] [--remote] [--prune] [--rows-per-part 1000]";

function progressLine(text: string) {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

async function pruneRetired(baseUrl: string, key: string, modelId: string): Promise<void> {
  const headers = { Authorization: `Bearer ${key}` };
  const res = await fetch(`${baseUrl}/admin/releases`, { headers });
  if (!res.ok) throw new Error(`listing releases: ${res.status} ${await res.text()}`);
  const { releases } = (await res.json()) as { releases: { id: number; modelId: string; status: string }[] };
  for (const r of releases.filter((x) => x.modelId === modelId && x.status === "retired")) {
    const del = await fetch(`${baseUrl}/admin/releases/${r.id}`, { method: "DELETE", headers });
    if (!del.ok) throw new Error(`deleting retired release ${r.id}: ${del.status} ${await del.text()}`);
    console.log(`${modelId}: deleted retired release ${r.id}`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      remote: { type: "boolean", default: false },
      prune: { type: "boolean", default: false },
      "rows-per-part": { type: "string", default: "1000" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const baseUrl = (values.url ?? process.env.FEATURE_ATLAS_URL ?? (values.remote ? "" : "http://127.0.0.1:8787")).replace(/\/+$/, "");
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(baseUrl);
  if (values.remote && (!baseUrl || local)) throw new Error("--remote needs the deployed Worker's URL in --url or FEATURE_ATLAS_URL");
  if (!values.remote && !local) throw new Error(`${baseUrl} is not local; pass --remote to ingest into a deployed Worker`);
  const rowsPerPart = Number(values["rows-per-part"]);
  if (!Number.isInteger(rowsPerPart) || rowsPerPart < 1 || rowsPerPart > 10_000) throw new Error("--rows-per-part must be 1..10000");

  const dir = positionals[0]!;
  const started = Date.now();
  const bundle = await readBundleDir(dir);
  const manifest = await verifyBundle(bundle, (file, rows) => progressLine(`checked ${file}: ${rows} rows`));
  progressLine(`bundle ${manifest.bundleId} (${manifest.model.id}) is valid\n`);
  const parts = planUpload(manifest, bundle.files, { rowsPerPart });
  const key = await adminKey(local, path.resolve(import.meta.dirname, ".."));
  const result = await uploadBundle({
    baseUrl,
    adminKey: key,
    fetch: (url, init) => fetch(url, init),
    manifestText: bundle.manifestText,
    manifest,
    parts,
    onProgress: (p) => progressLine(`part ${p.partsSent}/${p.partsTotal}  ${p.file} ${p.rowsDone}/${p.rows} rows`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!result.committed) {
    console.log(`\n${manifest.model.id}: release ${result.release} (${manifest.bundleId}) is already active; nothing to do`);
  } else {
    console.log(`\n${manifest.model.id}: release ${result.release} (${manifest.bundleId}) is live; ${result.partsSent} parts in ${seconds} s`);
  }
  if (values.prune) await pruneRetired(baseUrl, key, manifest.model.id);
}

main().catch((err: Error) => {
  console.error(`\ningest refused: ${err.message}`);
  process.exit(1);
});
