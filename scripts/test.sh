#!/usr/bin/env bash
# Installs what the tests need (Node packages, the batch's Python venv,
# Debian's Chromium) and runs every suite; one failing suite does not hide the
# others, and the exit status is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PATH="$ROOT/node_modules/.bin:$PATH"
export CI="${CI:-true}" WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

[ -d node_modules/wrangler ] || npm ci --no-audit --no-fund || exit 1
bash scripts/setup-python.sh || exit 1
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser test"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || exit 1
fi

passed=0
failed=0
failures=()
suite() {
  local name="$1"
  shift
  echo
  echo "=============== $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=============== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=============== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

suite "typecheck" npm run --silent typecheck
suite "edge (vitest in workerd)" npm run --silent test:edge
suite "batch (pytest)" bash -c "cd gpu-batch && .venv/bin/python -m pytest -q"
suite "neuronpedia client" bash test/neuronpedia-client/run.sh
suite "explorer in chromium" bash scripts/test-browser.sh
suite "contract fuzzing (short)" bash scripts/fuzz.sh --short

echo
[ ${#failures[@]} -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
