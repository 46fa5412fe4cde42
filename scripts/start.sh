#!/usr/bin/env bash
# One command for a local Feature Atlas: install, migrate the local D1, start
# `wrangler dev` on http://127.0.0.1:8787 (fully local: D1 in SQLite, R2 on
# disk, no account, no network), ingest the demo bundles, then keep serving
# in the foreground. Later starts reuse .wrangler/state, and ingesting an
# already-active bundle is a no-op, so they are ready in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8787}"
URL="http://127.0.0.1:$PORT"
export CI=true WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

if [[ ! -d node_modules ]]; then
  echo "start: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
# wrangler needs the Node 22 that node_modules ships, not the system Node.
export PATH="$ROOT/node_modules/.bin:$PATH"

if [[ ! -f .dev.vars ]] || ! grep -q '^ADMIN_KEY=' .dev.vars; then
  key="$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')"
  echo "ADMIN_KEY=\"$key\"" >>.dev.vars
  chmod 600 .dev.vars
  echo "start: wrote a new local admin key to $ROOT/.dev.vars"
fi
echo "start: admin key (for /admin routes and npm run ingest) is ADMIN_KEY in $ROOT/.dev.vars"

echo "start: applying D1 migrations to the local database"
wrangler d1 migrations apply DB --local >/tmp/feature-atlas-migrate.log 2>&1 || {
  tail -20 /tmp/feature-atlas-migrate.log >&2
  exit 1
}

for setup in scripts/setup-search.sh; do
  if [[ -x "$setup" || -f "$setup" ]]; then
    echo "start: running $setup"
    bash "$setup"
  fi
done

if curl -s -o /dev/null --max-time 1 "$URL/"; then
  echo "start: something already answers on $URL; stop it or set PORT" >&2
  exit 1
fi
setsid wrangler dev --ip 127.0.0.1 --port "$PORT" --show-interactive-dev-session=false &
WRANGLER_PID=$!
stop() {
  kill -TERM -- "-$WRANGLER_PID" 2>/dev/null || true
  wait "$WRANGLER_PID" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 240); do
  curl -s -o /dev/null --max-time 2 "$URL/openapi.json" && break
  kill -0 "$WRANGLER_PID" 2>/dev/null || { echo "start: wrangler dev exited" >&2; exit 1; }
  sleep 0.5
done
curl -s -o /dev/null --max-time 2 "$URL/openapi.json" || { echo "start: $URL did not answer" >&2; exit 1; }

shopt -s nullglob
for bundle in demo/bundles/*/; do
  echo "start: ingesting ${bundle%/}"
  tsx cli/ingest.ts "${bundle%/}" --url "$URL" --prune
done

cat <<EOT

Feature Atlas is serving on $URL
  docs:     $URL/docs
  spec:     $URL/openapi.json
  models:   $URL/v1/models
  a latent: $URL/v1/latents/gemma-2-2b/20-gemmascope-res-16k/14403
Ctrl-C stops it.
EOT
wait "$WRANGLER_PID"
