#!/usr/bin/env bash
# Search bench: quality on the development queries (bench/search-quality.ts,
# in Node), then latency through a fresh local Worker (bench/search.ts, its own
# state folder, port 8791) on the 16k demo bundle and, unless
# BENCH_SEARCH_SYNTHETIC=0, on a synthetic bundle of 250k explanations.
# The Worker is built once into the state folder and served unbundled, so
# edits to src/ during a run (wrangler dev reloads on them) cannot restart it
# and turn warm requests into cold ones.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/dev-server.sh

run_one() {
  local label="$1" bundle="$2"
  shift 2
  local state
  state="$(mktemp -d /tmp/feature-atlas-search-bench.XXXXXX)"
  dev_server_migrate "$state"
  bash scripts/setup-search.sh --persist-to "$state"
  wrangler deploy --dry-run --outdir "$state/dist" >"$state/build.log" 2>&1 || { tail -20 "$state/build.log" >&2; return 1; }
  sed -e 's|^main = .*|main = "dist/index.js"\nno_bundle = true|' -e "s|^migrations_dir = .*|migrations_dir = \"$ROOT/migrations\"|" \
    wrangler.toml >"$state/wrangler.toml"
  # QUERY_CACHE_SIZE=0: every request embeds its query, whatever ran before it.
  dev_server_start "${BENCH_PORT:-8791}" "$state" --config "$state/wrangler.toml" --var "QUERY_CACHE_SIZE:0" "$@"
  BENCH_URL="$DEV_SERVER_URL" BENCH_SERVER_PID="$DEV_SERVER_PID" FEATURE_ATLAS_ADMIN_KEY="$DEV_SERVER_ADMIN_KEY" \
    BENCH_BUNDLE="$bundle" BENCH_LABEL="$label" \
    tsx bench/search.ts && rc=0 || rc=$?
  dev_server_stop
  if [[ "${BENCH_KEEP_STATE:-0}" == "1" ]]; then echo "search bench: state kept in $state"; else rm -rf "$state"; fi
  return "$rc"
}

tsx bench/search-quality.ts >/dev/null
run_one 16k "$ROOT/demo/bundles/gemma-2-2b-gemmascope-res-16k"

if [[ "${BENCH_SEARCH_SYNTHETIC:-1}" != "0" ]]; then
  rows="${BENCH_SEARCH_SYNTHETIC_ROWS:-250000}"
  dir="$(mktemp -d /tmp/feature-atlas-synthetic.XXXXXX)"
  tsx bench/search-synthetic-bundle.ts "$dir" "$rows"
  # The in-isolate index refuses more than 120k rows by default (memory); the
  # bench lifts the limit to measure latency at this size.
  run_one "$((rows / 1000))k" "$dir" --var "SEARCH_INDEX_MAX_ROWS:$((rows + 1))" && rc=0 || rc=$?
  rm -rf "$dir"
  exit "$rc"
fi
