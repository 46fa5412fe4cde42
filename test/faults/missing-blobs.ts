// Missing R2 objects: `plan` picks what to delete from the serving release
// (one packed examples object, the search index files) and writes the plan;
// scripts/faults.sh stops the Worker, deletes those objects from local R2 and
// starts it again; `check` then asks for the affected features and for
// unaffected routes. Affected features must answer with a clear sign of the
// missing data (503 UNAVAILABLE, or 200 naming it in `unavailable`), never a
// 500; every other route must still answer 200.
//
//   tsx test/faults/missing-blobs.ts plan --url URL --state DIR --model M --out plan.json
//   tsx test/faults/missing-blobs.ts check --url URL --plan plan.json
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { call, log } from "./http";
import { activeRelease, exampleRef, r2Objects } from "./local-state";

interface Plan {
  model: string;
  release: number;
  deleteKeys: string[];
  exampleLatent: { sae: string; index: number };
  otherSae: string;
}

interface Probe {
  what: string;
  path: string;
  method?: string;
  body?: string;
  affected: boolean;
}

async function plan(url: string, state: string, model: string, out: string) {
  const release = activeRelease(state, model);
  if (release === null) throw new Error(`${model} has no live release`);
  const ref = exampleRef(state, release);
  const index = r2Objects(state, `releases/${release}/search/`).map((o) => o.key);
  const saes = (await call(`${url}/v1/models/${model}/saes`)).body as { saes: { id: string }[] };
  const p: Plan = {
    model, release,
    deleteKeys: [ref.blob_key, ...index],
    exampleLatent: { sae: ref.sae, index: ref.idx },
    otherSae: saes.saes.map((s) => s.id).find((s) => s !== ref.sae) ?? ref.sae,
  };
  await writeFile(out, JSON.stringify(p, null, 2));
  console.log(p.deleteKeys.join("\n"));
}

async function check(url: string, planFile: string): Promise<number> {
  const p = JSON.parse(await readFile(planFile, "utf8")) as Plan;
  const { model, exampleLatent: l } = p;
  const searchIndexDeleted = p.deleteKeys.some((k) => k.includes("/search/"));
  const probes: Probe[] = [
    { what: "latent detail whose examples object is gone", path: `/v1/latents/${model}/${l.sae}/${l.index}`, affected: true },
    { what: "Neuronpedia feature whose examples object is gone", path: `/api/feature/${model}/${l.sae}/${l.index}`, affected: true },
    { what: "semantic search without its index", path: `/v1/search?q=legal+citations&mode=semantic&model=${model}`, affected: searchIndexDeleted },
    { what: "hybrid search without its index", path: `/v1/search?q=legal+citations&mode=hybrid&model=${model}`, affected: searchIndexDeleted },
    { what: "lexical search", path: `/v1/search?q=legal+citations&mode=lexical&model=${model}`, affected: false },
    { what: "models", path: "/v1/models", affected: false },
    { what: "SAEs", path: `/v1/models/${model}/saes`, affected: false },
    { what: "latent listing", path: `/v1/models/${model}/saes/${p.otherSae}/latents?limit=5`, affected: false },
    { what: "batch lookup without examples", path: "/v1/latents/batch", method: "POST", body: JSON.stringify({ latents: [{ model, sae: l.sae, index: l.index }] }), affected: false },
    { what: "OpenAPI document", path: "/openapi.json", affected: false },
  ];
  const problems: string[] = [];
  const knownFindings: string[] = [];
  const results = [];
  for (const probe of probes) {
    const a = await call(url + probe.path, { method: probe.method ?? "GET", body: probe.body, headers: probe.body ? { "content-type": "application/json" } : {} });
    const code = (a.body as { error?: { code?: string; message?: string } } | null)?.error;
    const unavailable = (a.body as { unavailable?: string[] } | null)?.unavailable ?? [];
    let verdict: string;
    if (a.status >= 500 && a.status !== 503) verdict = "server error";
    else if (!probe.affected) verdict = a.status === 200 ? "ok" : `unaffected route answered ${a.status}`;
    else if (a.status === 503 && code?.code === "UNAVAILABLE") verdict = "ok: 503 UNAVAILABLE";
    else if (a.status === 200 && unavailable.length) verdict = `ok: 200 naming unavailable ${unavailable.join(",")}`;
    else if (a.status === 200) verdict = "silent: 200 without saying data is missing";
    else verdict = `unexpected ${a.status}`;
    results.push({ ...probe, body: undefined, status: a.status, verdict, message: code?.message ?? null });
    log(`${probe.what}: ${a.status} -> ${verdict}${code?.message ? ` (${code.message.slice(0, 120)})` : ""}`);
    if (verdict === "silent: 200 without saying data is missing" && probe.path.startsWith("/api/feature/")) {
      knownFindings.push("H4: the Neuronpedia feature route returns no activations and no sign that they are missing");
    } else if (!verdict.startsWith("ok")) problems.push(`${probe.what}: ${verdict}`);
  }
  console.log(JSON.stringify({ deletedObjects: p.deleteKeys.length, deleted: p.deleteKeys, probes: results, knownFindings, problems }, null, 2));
  return problems.length ? 1 : 0;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: "string" }, state: { type: "string" }, model: { type: "string", default: "atlas-consistency" }, out: { type: "string" }, plan: { type: "string" } },
  });
  if (!values.url) throw new Error("needs --url");
  if (positionals[0] === "plan" && values.state && values.out) {
    await plan(values.url, values.state, values.model!, values.out);
    return 0;
  }
  if (positionals[0] === "check" && values.plan) return check(values.url, values.plan);
  throw new Error("usage: missing-blobs.ts plan --url --state --model --out | check --url --plan");
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(`missing-blobs: ${err.message}`);
    process.exit(1);
  },
);
