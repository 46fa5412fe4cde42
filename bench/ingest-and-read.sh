#!/usr/bin/env bash
# Runs bench/ingest-and-read.ts against a fresh local Worker (its own state
# folder, port 8790), so the ingest is measured from empty every time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/dev-server.sh
STATE="$(mktemp -d /tmp/feature-atlas-bench.XXXXXX)"
dev_server_migrate "$STATE"
dev_server_start "${BENCH_PORT:-8790}" "$STATE"
BENCH_URL="$DEV_SERVER_URL" BENCH_STATE_DIR="$STATE" FEATURE_ATLAS_ADMIN_KEY="$DEV_SERVER_ADMIN_KEY" \
  tsx bench/ingest-and-read.ts && rc=0 || rc=$?
dev_server_stop
rm -rf "$STATE"
exit "$rc"
