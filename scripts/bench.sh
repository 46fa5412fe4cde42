#!/usr/bin/env bash
# `npm run bench`: every bench of the project, one after another (they share
# two cores), all writing their figures into one results file per run.
# Add a bench by appending one `run_bench` line below.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
export BENCH_RESULTS="${BENCH_RESULTS:-$ROOT/results/bench-$(date -u +%Y%m%dT%H%M%SZ).json}"
mkdir -p "$(dirname "$BENCH_RESULTS")"

failed=()
run_bench() {
  local name="$1"
  shift
  echo "== bench: $name"
  "$@" || failed+=("$name")
}

run_bench "edge core: ingest and latent detail" bash bench/ingest-and-read.sh
run_bench "edge load: mixed reads, and consistency during an ingest" bash bench/load.sh

run_bench "search: quality on the dev queries, latency at 16k and 250k" bash bench/search.sh

# Last: merge the gpu-batch figures, record the machine, refresh docs/numbers.md.
run_bench "collect results" tsx bench/collect-results.ts

echo "results: $BENCH_RESULTS"
if ((${#failed[@]})); then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
