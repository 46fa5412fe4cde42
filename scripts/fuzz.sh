#!/usr/bin/env bash
# Contract fuzzing: schemathesis against /openapi.json of a local Worker seeded
# with real rows, checking that no answer is a 5xx and every answer's status,
# content type and body match what the spec documents.
#
#   scripts/fuzz.sh --short   bounded for CI (about 2 minutes in all)
#   scripts/fuzz.sh --long    a longer budget (FUZZ_SECONDS, default 900)
#
# Reports (JSON, JUnit, and a summary) go to test/fuzz/reports/<timestamp>/
# (gitignored); the summary also to results/fuzz-<short|long>-<timestamp>.json.
# FUZZ_SEED fixes the seed (default 1, so two runs try the same cases).
# Exit status 1 when any check failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${1:---short}"
case "$MODE" in
  --short) BUDGET="${FUZZ_SECONDS:-75}" ;;
  --long) BUDGET="${FUZZ_SECONDS:-900}" ;;
  *) echo "usage: scripts/fuzz.sh --short|--long" >&2; exit 2 ;;
esac

VENV="test/fuzz/.venv"
REQS="test/fuzz/requirements.txt"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/schemathesis" || "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
  echo "fuzz: installing schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQS"
  echo "$want" >"$STAMP"
fi

source scripts/lib/dev-server.sh
STATE="$(mktemp -d /tmp/feature-atlas-fuzz.XXXXXX)"
cleanup() {
  # The Worker's log goes with the reports: a 5xx is explained there.
  [[ -n "${REPORTS:-}" && -f "$STATE/dev-server.log" ]] && cp "$STATE/dev-server.log" "$REPORTS/dev-server.log"
  dev_server_stop
  rm -rf "$STATE"
}
trap cleanup EXIT
dev_server_migrate "$STATE"
# The query-embedding model in local R2, so semantic search answers (not 503).
bash scripts/setup-search.sh --persist-to "$STATE" >"$STATE/setup-search.out" 2>&1 ||
  echo "fuzz: scripts/setup-search.sh failed; semantic search will answer 503" >&2
# Limits raised for this server only: the fuzzer would otherwise spend its
# budget on 429s (the limiter has its own tests in test/hardening).
build_args="$(dev_server_build "$STATE")"
# shellcheck disable=SC2086 # two words: --config and its file
dev_server_start "${FUZZ_PORT:-8792}" "$STATE" $build_args --var RATE_LIMIT_ANON:1000000000 --var RATE_LIMIT_KEYED:1000000000
export FEATURE_ATLAS_ADMIN_KEY="$DEV_SERVER_ADMIN_KEY"

echo "fuzz: seeding the Worker"
tsx test/fuzz/write-seed-bundle.ts "$STATE/seed-bundle"
tsx bench/make-generation-bundle.ts "$STATE/generation-bundle" --generation 1 --latents-per-sae 50
seeds=("$STATE/seed-bundle" "$STATE/generation-bundle" demo/bundles/gpt2-small-delphi)
[[ -d test/fixtures/golden-bundle ]] && seeds+=(test/fixtures/golden-bundle)
for bundle in "${seeds[@]}"; do
  tsx cli/ingest.ts "$bundle" --url "$DEV_SERVER_URL" 2>>"$STATE/ingest.log" | tail -1
done

REPORTS="test/fuzz/reports/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$REPORTS"
echo "fuzz: ${BUDGET} s of schemathesis against $DEV_SERVER_URL/openapi.json"
rc=0
# test/fuzz/hooks.py: a workaround for a CPython 3.11 bug inside the fuzzer (see the file).
FUZZ_BASE_URL="$DEV_SERVER_URL" FUZZ_API_KEY="$DEV_SERVER_ADMIN_KEY" SCHEMATHESIS_HOOKS="test/fuzz/hooks.py" \
  timeout $((BUDGET + 120)) "$VENV/bin/schemathesis" --config-file test/fuzz/schemathesis.toml run "$DEV_SERVER_URL/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-time "$BUDGET" --seed "${FUZZ_SEED:-1}" --no-color \
  --report json,junit --report-dir "$REPORTS" >"$REPORTS/output.txt" 2>&1 || rc=$?
report="$(ls "$REPORTS"/json-*.json 2>/dev/null | head -1)"
if [[ -z "$report" ]]; then
  echo "fuzz: schemathesis wrote no report (exit $rc); last output:" >&2
  tail -40 "$REPORTS/output.txt" >&2
  exit 1
fi
"$VENV/bin/python" test/fuzz/summarize.py "$report" "$REPORTS/summary.json"
# The summary is kept with the other figures of the project (the full reports are not).
mkdir -p results
cp "$REPORTS/summary.json" "results/fuzz-${MODE#--}-$(basename "$REPORTS").json"
if grep -q '"status": 5' "$STATE/dev-server.log" 2>/dev/null; then :; fi
echo "fuzz: full output in $REPORTS/output.txt"
exit "$([[ $rc -eq 0 ]] && echo 0 || echo 1)"
