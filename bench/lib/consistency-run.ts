// Reads while a new release of the same model is ingested, and checks that
// every response comes from exactly one release: one generation marker in the
// body, statistics that encode that same generation, a release id (body and
// ETag) that always maps to the same generation, and, per reader, no going
// back to the old release once the new one was seen.
import { spawn } from "node:child_process";
import { generationsIn, nActivationsOf, type WrittenBundle } from "./generation-bundle";
import { rng } from "./workload";

export interface ConsistencyFigures {
  readers: number;
  reads: number;
  readsByGeneration: Record<string, number>;
  mixed: number;
  errors: number;
  regressions: number;
  releaseMismatches: number;
  ingestSeconds: number;
  readsDuringIngest: number;
  ingestExitCode: number | null;
  firstNewReadAfterS: number | null;
  problems: string[];
}

interface ReadPlan {
  kind: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
}

function planRead(b: WrittenBundle, r: () => number, search: boolean): ReadPlan {
  const sae = () => b.saeIds[Math.floor(r() * b.saeIds.length)]!;
  const index = () => Math.floor(r() * b.latentsPerSae);
  const m = b.modelId;
  const x = r();
  if (x < 0.3) return { kind: "latent", method: "GET", path: `/v1/latents/${m}/${sae()}/${index()}` };
  if (x < 0.5) {
    const latents = Array.from({ length: 20 }, () => ({ model: m, sae: sae(), index: index() }));
    return { kind: "batch", method: "POST", path: "/v1/latents/batch", body: JSON.stringify({ latents, examples: true }) };
  }
  if (x < 0.65) return { kind: "np-feature", method: "GET", path: `/api/feature/${m}/${sae()}/${index()}` };
  if (x < 0.8) {
    const refs = Array.from({ length: 10 }, () => ({ modelId: m, layer: sae(), index: index() }));
    return { kind: "np-features", method: "POST", path: "/api/features", body: JSON.stringify(refs) };
  }
  if (x < 0.9 || !search) return { kind: "listing", method: "GET", path: `/v1/models/${m}/saes/${sae()}/latents?limit=100` };
  return { kind: "search", method: "GET", path: `/v1/search?q=legal+citations&mode=lexical&model=${m}&limit=20` };
}

/** Numbers that must agree with the body's generation: nActivations = gen * 1e6 + index. */
function statisticsGenerations(body: unknown, out: Set<number>): void {
  if (Array.isArray(body)) for (const x of body) statisticsGenerations(x, out);
  else if (body && typeof body === "object") {
    const o = body as Record<string, unknown>;
    if (typeof o.nActivations === "number" && typeof o.index === "number") {
      const g = Math.floor(o.nActivations / 1_000_000);
      if (nActivationsOf(g, o.index) === o.nActivations) out.add(g);
      else out.add(-1);
    }
    for (const v of Object.values(o)) statisticsGenerations(v, out);
  }
}

function releaseIds(body: unknown, out: Set<number>): void {
  if (Array.isArray(body)) for (const x of body) releaseIds(x, out);
  else if (body && typeof body === "object") {
    for (const [k, v] of Object.entries(body)) {
      if (k === "release" && typeof v === "number") out.add(v);
      else releaseIds(v, out);
    }
  }
}

export async function runConsistency(opts: {
  baseUrl: string;
  oldBundle: WrittenBundle;
  newBundle: WrittenBundle;
  readers: number;
  adminKey: string;
  rowsPerPart: number;
  search: boolean;
  tailSeconds?: number;
  log: (line: string) => void;
}): Promise<ConsistencyFigures> {
  const oldGen = Number(/gen(\d+)$/.exec(opts.oldBundle.bundleId)![1]);
  const newGen = Number(/gen(\d+)$/.exec(opts.newBundle.bundleId)![1]);
  const figures: ConsistencyFigures = {
    readers: opts.readers, reads: 0, readsByGeneration: {}, mixed: 0, errors: 0, regressions: 0, releaseMismatches: 0,
    ingestSeconds: 0, readsDuringIngest: 0, ingestExitCode: null, firstNewReadAfterS: null, problems: [],
  };
  const problem = (text: string) => {
    if (figures.problems.length < 20) figures.problems.push(text);
  };
  const releaseToGen = new Map<number, number>();
  const started = Date.now();
  let ingesting = true;
  let stopAt = Infinity;

  const ingest = spawn("tsx", ["cli/ingest.ts", opts.newBundle.dir, "--url", opts.baseUrl, "--rows-per-part", String(opts.rowsPerPart)], {
    env: { ...process.env, FEATURE_ATLAS_ADMIN_KEY: opts.adminKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let ingestLog = "";
  ingest.stdout.on("data", (d) => (ingestLog += d));
  ingest.stderr.on("data", (d) => (ingestLog += d));
  const ingestDone = new Promise<void>((resolve) =>
    ingest.on("exit", (code) => {
      figures.ingestExitCode = code;
      figures.ingestSeconds = (Date.now() - started) / 1000;
      ingesting = false;
      stopAt = Date.now() + (opts.tailSeconds ?? 3) * 1000;
      if (code !== 0) problem(`ingest exited ${code}: ${ingestLog.slice(-500)}`);
      resolve();
    }),
  );

  const reader = async (id: number) => {
    const r = rng(1000 + id);
    let seenNew = false;
    while (Date.now() < stopAt) {
      const plan = planRead(opts.newBundle, r, opts.search);
      const during = ingesting;
      let res: Response;
      let text: string;
      try {
        res = await fetch(opts.baseUrl + plan.path, {
          method: plan.method,
          body: plan.body,
          headers: plan.body ? { "content-type": "application/json" } : {},
        });
        text = await res.text();
      } catch (err) {
        figures.errors++;
        problem(`${plan.method} ${plan.path}: ${String(err)}`);
        continue;
      }
      figures.reads++;
      if (during) figures.readsDuringIngest++;
      if (res.status !== 200) {
        figures.errors++;
        problem(`${plan.method} ${plan.path}: status ${res.status}: ${text.slice(0, 200)}`);
        continue;
      }
      const gens = generationsIn(text);
      const body = JSON.parse(text) as unknown;
      statisticsGenerations(body, gens);
      if (gens.size !== 1) {
        figures.mixed++;
        problem(`${plan.kind} ${plan.path}: generations ${[...gens].join(",") || "none"} in one response`);
        continue;
      }
      const gen = [...gens][0]!;
      figures.readsByGeneration[gen] = (figures.readsByGeneration[gen] ?? 0) + 1;
      const releases = new Set<number>();
      releaseIds(body, releases);
      const etag = /-r([\d.]+)"$/.exec(res.headers.get("etag") ?? "");
      if (etag) for (const x of etag[1]!.split(".")) releases.add(Number(x));
      for (const rel of releases) {
        const known = releaseToGen.get(rel);
        if (known === undefined) releaseToGen.set(rel, gen);
        else if (known !== gen) {
          figures.releaseMismatches++;
          problem(`${plan.kind}: release ${rel} served generation ${gen}, earlier ${known}`);
        }
      }
      if (releases.size > 1) {
        figures.releaseMismatches++;
        problem(`${plan.kind}: releases ${[...releases].join(",")} in one response`);
      }
      if (gen === newGen && !seenNew) {
        seenNew = true;
        if (figures.firstNewReadAfterS === null) figures.firstNewReadAfterS = (Date.now() - started) / 1000;
      } else if (gen === oldGen && seenNew) {
        figures.regressions++;
        problem(`reader ${id}: old generation after the new one was seen (${plan.path})`);
      } else if (gen !== oldGen && gen !== newGen) {
        figures.mixed++;
        problem(`${plan.kind}: unexpected generation ${gen}`);
      }
    }
  };

  const progress = setInterval(
    () => opts.log(`consistency: ${figures.reads} reads, ${JSON.stringify(figures.readsByGeneration)}, ${figures.mixed} mixed, ${figures.errors} errors${ingesting ? ", ingesting" : ""}`),
    2000,
  );
  await Promise.all([ingestDone, ...Array.from({ length: opts.readers }, (_, i) => reader(i))]);
  clearInterval(progress);
  if (!figures.readsByGeneration[newGen]) problem(`no read saw generation ${newGen} after the ingest finished`);
  if (!figures.readsByGeneration[oldGen]) problem(`no read saw generation ${oldGen}: the ingest finished before any read overlapped it`);
  return figures;
}
