// Ingests the browser test's bundle into a running local Worker through the
// admin routes, the same client code the ingest CLI uses.
//   tsx test/browser/seed-demo.ts http://127.0.0.1:8790 <admin key>
import { planUpload, uploadBundle, verifyBundle } from "../../src/bundle";
import { demoBundle } from "./demo-rows";

async function main(): Promise<void> {
  const [baseUrl, adminKey] = process.argv.slice(2);
  if (!baseUrl || !adminKey) throw new Error("usage: seed-demo.ts <base url> <admin key>");
  const bundle = await demoBundle();
  const manifest = await verifyBundle(bundle);
  const parts = planUpload(manifest, bundle.files, {});
  const result = await uploadBundle({
    baseUrl,
    adminKey,
    fetch: (url, init) => fetch(url, init),
    manifestText: bundle.manifestText,
    manifest,
    parts,
    onProgress: (p) => process.stderr.write(`\rseed: ${p.partsSent}/${p.partsTotal} parts (${p.file})      `),
  });
  process.stderr.write(`\nseed: release ${result.release} ${result.status}\n`);
  if (!result.committed && result.status !== "active") throw new Error(`seed: release not active (${result.status})`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
