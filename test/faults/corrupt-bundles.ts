// Offers corrupt bundles to a Worker that serves a good release of the same
// model, through the CLI (which validates first) and straight through the
// admin API (as a client that skips validation would), and checks that each
// is refused with a message naming the file (and line), and that readers see
// exactly what they saw before.
//
//   tsx test/faults/corrupt-bundles.ts --url URL --work DIR [--model atlas-consistency]
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { writeGenerationBundle } from "../../bench/lib/generation-bundle";
import { call, log, servingSnapshot } from "./http";

type Manifest = { formatVersion: number; bundleId: string; embedding: { model: string; dim: number }; files: Record<string, { rows: number; bytes: number; sha256: string }> };

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as Manifest;
}

/** Rewrites a file and, when `reseal`, its manifest entry, so only the content is wrong. */
async function edit(dir: string, file: string, change: (b: Buffer) => Buffer, reseal: boolean, rows?: number) {
  const p = path.join(dir, file);
  const next = change(await readFile(p));
  await writeFile(p, next);
  if (!reseal) return;
  const m = await readManifest(dir);
  m.files[file] = { rows: rows ?? m.files[file]!.rows, bytes: next.byteLength, sha256: sha(next) };
  await writeFile(path.join(dir, "manifest.json"), JSON.stringify(m, null, 2));
}

async function editManifest(dir: string, change: (m: Manifest) => void) {
  const m = await readManifest(dir);
  change(m);
  await writeFile(path.join(dir, "manifest.json"), JSON.stringify(m, null, 2));
}

const replaceLine = (n: number, f: (line: string) => string) => (b: Buffer) => {
  const lines = b.toString("utf8").split("\n");
  lines[n - 1] = f(lines[n - 1]!);
  return Buffer.from(lines.join("\n"));
};

interface Variant {
  name: string;
  /** docs/hardening-findings.md id when the admin API is known to accept this variant. */
  knownFinding?: string;
  /** What the refusal must name. */
  expect: RegExp;
  make: (dir: string) => Promise<void>;
}

const VARIANTS: Variant[] = [
  // A digit changed inside a value: every row still parses, only the sha256 tells.
  { name: "changed digit (sha256 mismatch)", expect: /latents\.jsonl/, knownFinding: "H3", make: (d) => edit(d, "latents.jsonl", replaceLine(1, (l) => l.replace(/"density":0\.007/, "\"density\":0.006")), false) },
  { name: "wrong format version", expect: /formatVersion|manifest/i, make: (d) => editManifest(d, (m) => (m.formatVersion = 99)) },
  { name: "mismatched embedding dimension", expect: /dim|embedding/i, make: (d) => editManifest(d, (m) => (m.embedding.dim = 512)) },
  { name: "other embedding model", expect: /embedding/i, make: (d) => editManifest(d, (m) => (m.embedding.model = "sentence-transformers/all-mpnet-base-v2")) },
  { name: "unknown key in a row", expect: /latents\.jsonl:3/, make: (d) => edit(d, "latents.jsonl", replaceLine(3, (l) => l.replace("\"density\"", "\"densty\"")), true) },
  { name: "row for a latent past the SAE width", expect: /latents\.jsonl:2/, make: (d) => edit(d, "latents.jsonl", replaceLine(2, (l) => l.replace(/"index":\d+/, "\"index\":999999")), true) },
  { name: "truncated vectors file", expect: /explanation_vectors\.f32/, make: (d) => edit(d, "explanation_vectors.f32", (b) => b.subarray(0, b.byteLength - 4), true) },
  { name: "malformed JSON line", expect: /scores\.jsonl:5/, make: (d) => edit(d, "scores.jsonl", replaceLine(5, (l) => l.slice(0, -3)), true) },
  { name: "missing file", expect: /examples\.jsonl/, make: async (d) => {
    const { rm } = await import("node:fs/promises");
    await rm(path.join(d, "examples.jsonl"));
  } },
];

interface Outcome {
  variant: string;
  via: "cli" | "api";
  refused: boolean;
  named: boolean;
  status?: number;
  message: string;
}

/** Sends a bundle through the admin API without validating it first: manifest, then every file in one part each, then commit. */
async function pushRaw(base: string, key: string, dir: string): Promise<{ status: number; message: string }> {
  const auth = { authorization: `Bearer ${key}` };
  const manifestText = await readFile(path.join(dir, "manifest.json"), "utf8");
  const opened = await call(`${base}/admin/releases`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ manifest: manifestText }) });
  if (opened.status !== 200) return { status: opened.status, message: opened.text };
  const id = (opened.body as { release: { id: number } }).release.id;
  const manifest = JSON.parse(manifestText) as Manifest;
  const order = ["saes.jsonl", ...Object.keys(manifest.files).filter((f) => f !== "saes.jsonl")];
  for (const file of order) {
    const bytes = await readFile(path.join(dir, file)).catch(() => null);
    if (!bytes) continue;
    const put = await call(`${base}/admin/releases/${id}/files/${file}?line=1`, { method: "PUT", headers: { ...auth, "content-type": "application/octet-stream" }, body: bytes });
    if (put.status !== 200) return { status: put.status, message: put.text };
  }
  const commit = await call(`${base}/admin/releases/${id}/commit`, { method: "POST", headers: auth });
  return { status: commit.status, message: commit.text };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { url: { type: "string" }, work: { type: "string" }, model: { type: "string", default: "atlas-consistency" } } });
  const key = process.env.FEATURE_ATLAS_ADMIN_KEY;
  if (!values.url || !values.work || !key) throw new Error("needs --url, --work and FEATURE_ATLAS_ADMIN_KEY");
  const good = await writeGenerationBundle(path.join(values.work, "good"), { generation: 7, latentsPerSae: 40, modelId: values.model });
  const first = await servingSnapshot(values.url, values.model, good.saeIds[0]!, 3);
  let changedServing = 0;
  const outcomes: Outcome[] = [];
  const problems: string[] = [];
  const knownFindings: string[] = [];

  // Variants the API is known to accept go last: once one goes live, the
  // others would be judged against it rather than the good release.
  const ordered = [...VARIANTS.filter((v) => !v.knownFinding), ...VARIANTS.filter((v) => v.knownFinding)];
  for (const [i, v] of ordered.entries()) {
    const dir = path.join(values.work, `corrupt-${i}`);
    await cp(good.dir, dir, { recursive: true });
    // Each variant is its own bundle id, so a refusal of one cannot be a no-op resume of another.
    await editManifest(dir, (m) => (m.bundleId = `${good.bundleId}-corrupt-${i}`));
    await v.make(dir);
    const before = await servingSnapshot(values.url, values.model, good.saeIds[0]!, 3);

    const cli = spawnSync("tsx", ["cli/ingest.ts", dir, "--url", values.url], { encoding: "utf8", env: process.env });
    const cliText = `${cli.stdout}${cli.stderr}`;
    const cliOutcome: Outcome = { variant: v.name, via: "cli", refused: cli.status !== 0, named: v.expect.test(cliText), message: cliText.trim().split("\n").pop() ?? "" };
    outcomes.push(cliOutcome);

    const raw = await pushRaw(values.url, key, dir);
    const apiOutcome: Outcome = {
      variant: v.name, via: "api", status: raw.status,
      refused: raw.status >= 400 && raw.status < 500, named: v.expect.test(raw.message), message: raw.message.slice(0, 300),
    };
    outcomes.push(apiOutcome);
    for (const o of [cliOutcome, apiOutcome]) {
      log(`${o.via} ${o.refused ? "refused" : "ACCEPTED"} ${v.name}${o.status ? ` (${o.status})` : ""}: ${o.message.slice(0, 160)}`);
      if (!o.refused && o.via === "api" && v.knownFinding) knownFindings.push(`${v.knownFinding}: api accepted ${v.name}`);
      else if (!o.refused) problems.push(`${o.via} accepted: ${v.name}`);
      else if (!o.named) problems.push(`${o.via} refused ${v.name} without naming ${v.expect}: ${o.message.slice(0, 200)}`);
      if (o.status !== undefined && o.status >= 500) problems.push(`${o.via} answered ${o.status} to ${v.name}`);
    }
    const now = await servingSnapshot(values.url, values.model, good.saeIds[0]!, 3);
    if (now !== before) {
      changedServing++;
      if (v.knownFinding && apiOutcome.refused === false) knownFindings.push(`${v.knownFinding}: the corrupt release went live`);
      else problems.push(`after ${v.name}, readers see a different answer`);
    }
  }

  const report = {
    faultsInjected: outcomes.length,
    variants: VARIANTS.length,
    refused: outcomes.filter((o) => o.refused).length,
    refusedNamingTheFile: outcomes.filter((o) => o.refused && o.named).length,
    variantsThatChangedServing: changedServing,
    servingUnchangedOverall: (await servingSnapshot(values.url, values.model, good.saeIds[0]!, 3)) === first,
    outcomes,
    knownFindings,
    problems,
  };
  console.log(JSON.stringify(report, null, 2));
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(`corrupt-bundles: ${err.message}`);
    process.exit(1);
  },
);
