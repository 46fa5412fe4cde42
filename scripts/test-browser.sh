#!/usr/bin/env bash
# The explorer in a real browser: starts `wrangler dev` on a free port with a
# fresh local state, ingests the browser demo bundle, drives headless Debian
# Chromium through the pages (test/browser/explorer.spec.mjs), stops the server.
# Screenshots land in results/tmp/browser/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/dev-server.sh

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM_PATH" ]]; then
  echo "test-browser: no Chromium at $CHROMIUM_PATH (apt-get install -y chromium)" >&2
  exit 1
fi
export CHROMIUM_PATH

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

state="results/tmp/browser-state"
shots="results/tmp/browser"
rm -rf "$state" "$shots"
mkdir -p "$shots"

echo "test-browser: migrating local D1" >&2
dev_server_migrate "$state"
dev_server_start "$(free_port)" "$state"
echo "test-browser: seeding" >&2
tsx test/browser/seed-demo.ts "$DEV_SERVER_URL" "$DEV_SERVER_ADMIN_KEY"
node test/browser/explorer.spec.mjs "$DEV_SERVER_URL" "$shots" | tee "$shots/summary.json"
node test/browser/route-latency.mjs "$DEV_SERVER_URL" 40 | tee "$shots/latency.json"
echo "test-browser: passed; screenshots in $shots" >&2
