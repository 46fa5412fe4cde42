#!/usr/bin/env bash
# The edge load bench: a fresh local Worker (own state folder, port 8794),
# seeded with the demo Gemma Scope bundle and generation 1 of the synthetic
# consistency bundle; then the mixed read workload (BENCH_LOAD_SECONDS, default
# 20, BENCH_LOAD_CONNECTIONS, default 4) and the consistency run (generation 2
# ingested while readers read). Rate limits are raised for this server only:
# the run measures serving, not the limiter (test/hardening checks that).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/dev-server.sh
STATE="$(mktemp -d /tmp/feature-atlas-load.XXXXXX)"
WORK="$(mktemp -d /tmp/feature-atlas-load-bundles.XXXXXX)"
cleanup() {
  # Keep the Worker's log of a failed run where it can be read afterwards.
  if [[ "${rc:-1}" != 0 && -f "$STATE/dev-server.log" ]]; then
    mkdir -p "$ROOT/results/tmp"
    cp "$STATE/dev-server.log" "$ROOT/results/tmp/load-dev-server.log"
    echo "load: the Worker's log is in results/tmp/load-dev-server.log" >&2
  fi
  dev_server_stop
  rm -rf "$STATE" "$WORK"
}
trap cleanup EXIT
MODEL="${BENCH_LOAD_MODEL:-gemma-2-2b}"
SEED_BUNDLE="${BENCH_LOAD_BUNDLE:-demo/bundles/gemma-2-2b-gemmascope-res-16k}"
export FEATURE_ATLAS_ADMIN_KEY="$DEV_SERVER_ADMIN_KEY"

dev_server_migrate "$STATE"
if [[ -f scripts/setup-search.sh ]]; then
  bash scripts/setup-search.sh --persist-to "$STATE" >"$STATE/setup-search.out" 2>&1 ||
    echo "load: scripts/setup-search.sh failed (semantic search will answer 503); see $STATE/setup-search.out" >&2
fi
build_args="$(dev_server_build "$STATE")"
# shellcheck disable=SC2086 # two words: --config and its file
dev_server_start "${BENCH_LOAD_PORT:-8794}" "$STATE" $build_args --var RATE_LIMIT_ANON:1000000000 --var RATE_LIMIT_KEYED:1000000000
# Ingest a bundle, showing its last line; on failure, the tail of its log.
ingest() {
  local log="$STATE/ingest-$(basename "$1").log"
  if tsx cli/ingest.ts "$1" --url "$DEV_SERVER_URL" >"$log" 2>&1; then
    tail -1 "$log"
  else
    echo "load: ingest of $1 failed:" >&2
    tail -5 "$log" >&2
    return 1
  fi
}
echo "load: ingesting $SEED_BUNDLE"
ingest "$SEED_BUNDLE"
tsx bench/make-generation-bundle.ts "$WORK/gen1" --generation 1 --latents-per-sae "${BENCH_CONSISTENCY_LATENTS:-3000}"
tsx bench/make-generation-bundle.ts "$WORK/gen2" --generation 2 --latents-per-sae "${BENCH_CONSISTENCY_LATENTS:-3000}"
ingest "$WORK/gen1"

rc=0
tsx bench/load.ts mixed --url "$DEV_SERVER_URL" --model "$MODEL" \
  --duration "${BENCH_LOAD_SECONDS:-20}" --connections "${BENCH_LOAD_CONNECTIONS:-4}" >"$WORK/mixed.json" || rc=1
tsx bench/load.ts consistency --url "$DEV_SERVER_URL" --old "$WORK/gen1" --new "$WORK/gen2" \
  --readers "${BENCH_CONSISTENCY_READERS:-4}" --rows-per-part 200 >"$WORK/consistency.json" || rc=1
node -e '
  const m = require(process.argv[1]), c = require(process.argv[2]);
  for (const [k, v] of Object.entries(m.sequentialMs)) console.log(`  ${k} alone: p50 ${v.p50} ms, p99 ${v.p99} ms (n=${v.n}, errors ${v.errors})`);
  console.log(`mixed load: ${m.requests} requests in ${m.durationS} s = ${m.throughputRps} req/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms, errors ${m.errors + m.non2xx + m.timeouts} (${JSON.stringify(m.statusCodes)})`);
  console.log(`consistency: ${c.reads} reads (${c.readsDuringIngest} during a ${c.ingestSeconds} s ingest), by generation ${JSON.stringify(c.readsByGeneration)}, mixed ${c.mixed}, regressions ${c.regressions}, release mismatches ${c.releaseMismatches}, errors ${c.errors}`);
  for (const p of c.problems) console.log(`  problem: ${p}`);
' "$WORK/mixed.json" "$WORK/consistency.json"
exit "$rc"
