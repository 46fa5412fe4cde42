// The mixed read workload: discovers what the running Worker serves (routes
// from /openapi.json, models, SAEs and real latent indices from the API) and
// builds a weighted list of requests over it, so the load run only asks for
// things that exist and every non-2xx answer counts as an error.

export interface WorkloadRequest {
  kind: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
}

interface Spec {
  paths: Record<string, Record<string, unknown>>;
}

const QUERIES = [
  "legal citations and court cases",
  "references to dogs and other pets",
  "numbers in a list",
  "french words",
  "the end of a sentence",
  "programming code",
  "names of cities",
  "negative emotions",
];

export interface Target {
  model: string;
  saes: { id: string; indices: number[] }[];
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A model's SAEs and up to `perSae` real latent indices of each, read through the listing route. */
export async function discoverTarget(baseUrl: string, model: string, perSae = 200): Promise<Target> {
  const { saes } = await getJson<{ saes: { id: string }[] }>(`${baseUrl}/v1/models/${model}/saes`);
  const out: Target = { model, saes: [] };
  for (const sae of saes) {
    const page = await getJson<{ latents: { index: number }[] }>(`${baseUrl}/v1/models/${model}/saes/${sae.id}/latents?limit=${Math.min(500, perSae)}`);
    if (page.latents.length) out.saes.push({ id: sae.id, indices: page.latents.map((l) => l.index) });
  }
  if (!out.saes.length) throw new Error(`model ${model} has no latents to read`);
  return out;
}

export async function documentedPaths(baseUrl: string): Promise<Set<string>> {
  const spec = await getJson<Spec>(`${baseUrl}/openapi.json`);
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(spec.paths)) for (const method of Object.keys(ops)) out.add(`${method.toUpperCase()} ${path}`);
  return out;
}

/** Deterministic pseudo-random numbers, so two runs send the same mix. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(xs: T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

export interface MixOptions {
  size?: number;
  seed?: number;
  batchSize?: number;
}

/**
 * Weighted mix: latent detail 25%, search 20%, Neuronpedia feature 15%,
 * batch 10%, Neuronpedia batch 10%, listings 10%, models/SAEs 10%. Kinds whose
 * route the spec does not document are left out (and reported).
 */
export function buildMix(target: Target, routes: Set<string>, opts: MixOptions = {}): { requests: WorkloadRequest[]; skipped: string[] } {
  const r = rng(opts.seed ?? 42);
  const batch = opts.batchSize ?? 20;
  const m = target.model;
  const latent = () => {
    const s = pick(target.saes, r);
    return { sae: s.id, index: pick(s.indices, r) };
  };
  const kinds: { kind: string; route: string; weight: number; make: () => WorkloadRequest }[] = [
    { kind: "latent", route: "GET /v1/latents/{model}/{sae}/{index}", weight: 25, make: () => {
      const l = latent();
      return { kind: "latent", method: "GET", path: `/v1/latents/${m}/${l.sae}/${l.index}` };
    } },
    { kind: "search", route: "GET /v1/search", weight: 20, make: () => ({
      kind: "search", method: "GET", path: `/v1/search?q=${encodeURIComponent(pick(QUERIES, r))}&model=${m}&limit=10`,
    }) },
    { kind: "np-feature", route: "GET /api/feature/{modelId}/{source}/{index}", weight: 15, make: () => {
      const l = latent();
      return { kind: "np-feature", method: "GET", path: `/api/feature/${m}/${l.sae}/${l.index}` };
    } },
    { kind: "batch", route: "POST /v1/latents/batch", weight: 10, make: () => ({
      kind: "batch", method: "POST", path: "/v1/latents/batch",
      body: JSON.stringify({ latents: Array.from({ length: batch }, () => ({ model: m, ...latent() })) }),
    }) },
    { kind: "np-features", route: "POST /api/features", weight: 10, make: () => ({
      kind: "np-features", method: "POST", path: "/api/features",
      body: JSON.stringify(Array.from({ length: batch }, () => {
        const l = latent();
        return { modelId: m, layer: l.sae, index: l.index };
      })),
    }) },
    { kind: "listing", route: "GET /v1/models/{model}/saes/{sae}/latents", weight: 10, make: () => ({
      kind: "listing", method: "GET", path: `/v1/models/${m}/saes/${pick(target.saes, r).id}/latents?limit=50`,
    }) },
    { kind: "models", route: "GET /v1/models/{model}/saes", weight: 10, make: () =>
      r() < 0.5 ? { kind: "models", method: "GET", path: "/v1/models" } : { kind: "models", method: "GET", path: `/v1/models/${m}/saes` } },
  ];
  const live = kinds.filter((k) => routes.has(k.route));
  const skipped = kinds.filter((k) => !routes.has(k.route)).map((k) => k.kind);
  const total = live.reduce((a, k) => a + k.weight, 0);
  const size = opts.size ?? 400;
  const requests: WorkloadRequest[] = [];
  for (let i = 0; i < size; i++) {
    let x = r() * total;
    const k = live.find((k) => (x -= k.weight) < 0) ?? live[live.length - 1]!;
    requests.push(k.make());
  }
  return { requests, skipped };
}
