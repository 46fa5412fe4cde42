// Benches ingest a verified bundle into a local Worker the same way; this
// uploads it with a progress line and times the upload and commit.
import { planUpload, uploadBundle, type BundleBytes, type Manifest, type UploadResult } from "../../src/bundle";

export async function timedIngest(
  baseUrl: string,
  adminKey: string,
  bundle: BundleBytes,
  manifest: Manifest,
): Promise<{ result: UploadResult; seconds: number }> {
  const t0 = performance.now();
  const result = await uploadBundle({
    baseUrl,
    adminKey,
    fetch: (url, init) => fetch(url, init),
    manifestText: bundle.manifestText,
    manifest,
    parts: planUpload(manifest, bundle.files),
    onProgress: (p) => process.stderr.write(`\r  part ${p.partsSent}/${p.partsTotal} ${p.file}   `),
  });
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write("\n");
  return { result, seconds };
}
