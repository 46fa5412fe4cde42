#!/usr/bin/env bash
# Runs Neuronpedia's Python client (PyPI `neuronpedia`) against a local
# Worker served on port 3000, where the client looks with USE_LOCALHOST=true.
# The Worker gets its own state folder with the Gemma Scope demo bundle.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

VENV="$HERE/.venv"
if [[ ! -x "$VENV/bin/pytest" ]] || ! "$VENV/bin/python" -c "import neuronpedia" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check neuronpedia==1.2.1 pytest==9.2.0
fi

source scripts/lib/dev-server.sh
STATE="$(mktemp -d /tmp/feature-atlas-np.XXXXXX)"
dev_server_migrate "$STATE"
dev_server_start 3000 "$STATE"
FEATURE_ATLAS_ADMIN_KEY="$DEV_SERVER_ADMIN_KEY" npx tsx cli/ingest.ts demo/bundles/gemma-2-2b-gemmascope-res-16k --url "$DEV_SERVER_URL" >"$STATE/ingest.log" 2>&1 || {
  tail -20 "$STATE/ingest.log" >&2
  exit 1
}
READ_KEY="$(curl -sf -X POST "$DEV_SERVER_URL/admin/keys" -H "Authorization: Bearer $DEV_SERVER_ADMIN_KEY" \
  -H 'Content-Type: application/json' -d '{"name":"neuronpedia-client-test","scope":"read"}' |
  "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["key"])')"

USE_LOCALHOST=true NEURONPEDIA_API_KEY="$READ_KEY" \
  FEATURE_ATLAS_EXPLANATIONS="${FEATURE_ATLAS_EXPLANATIONS:-$ROOT/../shared/data/gemma-2-2b-20-gemmascope-res-16k.explanations.jsonl}" \
  "$VENV/bin/pytest" -q "$HERE/test_client.py" && rc=0 || rc=$?
dev_server_stop
rm -rf "$STATE"
exit "$rc"
