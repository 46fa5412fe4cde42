// Warm latency of the compare, decode and explorer routes against a running
// local Worker (the browser test's server and data): p50/p95 over sequential
// requests, printed as JSON.
//   node test/browser/route-latency.mjs <base url> [requests per route]
const [baseUrl, nArg] = process.argv.slice(2);
if (!baseUrl) throw new Error("usage: route-latency.mjs <base url> [n]");
const n = Number(nArg ?? 40);
const M = "/v1/models/browser-demo";
const routes = {
  matches: `${M}/saes/L1-res/latents/0/matches`,
  liveMatches: `${M}/saes/L1-res/latents/0/matches/live?target=L3-res`,
  pair: `${M}/saes/L1-res/compare/L2-res`,
  matrix: `${M}/similarity`,
  decodings: `${M}/neurons/2/7/decodings`,
  promotersExact: `${M}/tokens/promoters?token=%20dog`,
  promotersPrefix: `${M}/tokens/promoters?prefix=%20d`,
  tokenMiss404: `${M}/tokens/promoters?token=%20Dogs`,
  latentPage: "/models/browser-demo/saes/L1-res/0",
  modelPage: "/models/browser-demo",
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const out = {};
for (const [name, path] of Object.entries(routes)) {
  const times = [];
  let status = 0;
  for (let i = 0; i < n + 3; i++) {
    const t0 = performance.now();
    const res = await fetch(baseUrl + path);
    await res.arrayBuffer();
    if (i >= 3) times.push(performance.now() - t0); // the first requests warm the isolate and caches
    status = res.status;
  }
  times.sort((a, b) => a - b);
  out[name] = { status, p50_ms: +pct(times, 50).toFixed(1), p95_ms: +pct(times, 95).toFixed(1) };
  process.stderr.write(`latency: ${name} p50 ${out[name].p50_ms} ms\n`);
}
console.log(JSON.stringify({ requestsPerRoute: n, routes: out }, null, 1));
