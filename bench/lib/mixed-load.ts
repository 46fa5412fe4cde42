// Drives the mixed read workload at the Worker with autocannon for a bounded
// time and reduces autocannon's result to the figures the bench reports.
import autocannon from "autocannon";
import type { WorkloadRequest } from "./workload";

export interface KindLatency {
  n: number;
  p50: number;
  p99: number;
  errors: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * Latency of each kind of request alone, sequentially, after the mixed run:
 * the mixed percentiles blend cheap lookups with query embedding.
 */
export async function perKindLatency(baseUrl: string, requests: WorkloadRequest[], perKind = 20): Promise<Record<string, KindLatency>> {
  const out: Record<string, KindLatency> = {};
  for (const kind of [...new Set(requests.map((r) => r.kind))]) {
    const sample = requests.filter((r) => r.kind === kind).slice(0, perKind);
    const times: number[] = [];
    let errors = 0;
    for (const r of sample) {
      const started = performance.now();
      const res = await fetch(baseUrl + r.path, { method: r.method, body: r.body, headers: r.body ? { "content-type": "application/json" } : {} });
      await res.arrayBuffer();
      times.push(performance.now() - started);
      if (res.status !== 200) errors++;
    }
    times.sort((a, b) => a - b);
    out[kind] = { n: times.length, p50: Math.round(quantile(times, 0.5) * 10) / 10, p99: Math.round(quantile(times, 0.99) * 10) / 10, errors };
  }
  return out;
}

export interface LoadFigures {
  durationS: number;
  connections: number;
  requests: number;
  throughputRps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  mix: Record<string, number>;
}

export async function runMixedLoad(
  baseUrl: string,
  requests: WorkloadRequest[],
  opts: { durationS: number; connections: number; onTick?: (done: number) => void },
): Promise<LoadFigures> {
  const mix: Record<string, number> = {};
  for (const r of requests) mix[r.kind] = (mix[r.kind] ?? 0) + 1;
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const finished = new Promise<autocannon.Result>((res, rej) => ((finish = res), (fail = rej)));
  const instance = autocannon({
    url: baseUrl,
    connections: opts.connections,
    duration: opts.durationS,
    timeout: 30,
    // Each connection walks the list in order and starts over, so every
    // connection sends the whole weighted mix.
    requests: requests.map((r) => ({
      method: r.method,
      path: r.path,
      body: r.body,
      headers: r.body ? { "content-type": "application/json" } : {},
    })),
  }, (err, result) => (err ? fail(err) : finish(result)));
  let done = 0;
  instance.on("response", () => {
    done++;
    if (done % 500 === 0) opts.onTick?.(done);
  });
  const result = await finished;
  const codes: Record<string, number> = {};
  for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) codes[k] = (v as { count: number }).count;
  return {
    durationS: opts.durationS,
    connections: opts.connections,
    requests: result.requests.total,
    throughputRps: Math.round(result.requests.average * 10) / 10,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    statusCodes: codes,
    mix,
  };
}
