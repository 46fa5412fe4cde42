#!/usr/bin/env bash
# Fault injection against a local Worker (its own state folder, port 8793):
#   1. an ingest SIGKILLed at random moments (FAULT_KILLS times, default 8),
#      then run to the end: exactly one copy of every row, per table;
#   2. corrupt bundles (CLI and raw admin API) refused, serving release untouched;
#   3. R2 objects deleted (an examples object, the search index): the affected
#      features say so (503, or 200 naming what is unavailable), the rest answers.
# Figures go to results/faults-<timestamp>.json (FAULTS_RESULTS names another).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/dev-server.sh
STATE="$(mktemp -d /tmp/feature-atlas-faults.XXXXXX)"
WORK="$(mktemp -d /tmp/feature-atlas-faults-work.XXXXXX)"
cleanup() {
  dev_server_stop
  rm -rf "$STATE" "$WORK"
}
trap cleanup EXIT
PORT="${FAULTS_PORT:-8793}"
OUT="${FAULTS_RESULTS:-$ROOT/results/faults-$(date -u +%Y%m%dT%H%M%SZ).json}"
MODEL=atlas-consistency
export FEATURE_ATLAS_ADMIN_KEY="$DEV_SERVER_ADMIN_KEY"
# node:sqlite (read-only state checks) warns that it is experimental on every start.
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=ExperimentalWarning"
start() {
  # shellcheck disable=SC2086 # two words: --config and its file
  dev_server_start "$PORT" "$STATE" $build_args --var RATE_LIMIT_ANON:1000000000 --var RATE_LIMIT_KEYED:1000000000
}

dev_server_migrate "$STATE"
if [[ -f scripts/setup-search.sh ]]; then
  bash scripts/setup-search.sh --persist-to "$STATE" >"$STATE/setup-search.out" 2>&1 ||
    echo "faults: scripts/setup-search.sh failed; semantic search will answer 503 throughout" >&2
fi
build_args="$(dev_server_build "$STATE")"
start
tsx bench/make-generation-bundle.ts "$WORK/gen1" --generation 1 --latents-per-sae 200
tsx bench/make-generation-bundle.ts "$WORK/gen2" --generation 2 --latents-per-sae "${FAULT_LATENTS:-3000}"
tsx cli/ingest.ts "$WORK/gen1" --url "$DEV_SERVER_URL" 2>/dev/null | tail -1

rc=0
echo "== faults: killed ingest"
tsx test/faults/killed-ingest.ts --url "$DEV_SERVER_URL" --state "$STATE" --bundle "$WORK/gen2" \
  --kills "${FAULT_KILLS:-8}" --seed "${FAULT_SEED:-7}" >"$WORK/killed.json" || rc=1
echo "== faults: corrupt bundles"
tsx test/faults/corrupt-bundles.ts --url "$DEV_SERVER_URL" --work "$WORK/corrupt" --model "$MODEL" >"$WORK/corrupt.json" || rc=1
echo "== faults: missing R2 objects"
tsx test/faults/missing-blobs.ts plan --url "$DEV_SERVER_URL" --state "$STATE" --model "$MODEL" --out "$WORK/plan.json" >"$WORK/keys.txt"
dev_server_stop
# Local R2 is only written by one process at a time: the Worker is down here.
while read -r key; do
  [[ -n "$key" ]] && wrangler r2 object delete "feature-atlas-blobs/$key" --local --persist-to "$STATE" >>"$WORK/r2-delete.log" 2>&1
done <"$WORK/keys.txt"
start
tsx test/faults/missing-blobs.ts check --url "$DEV_SERVER_URL" --plan "$WORK/plan.json" >"$WORK/missing.json" || rc=1

mkdir -p "$(dirname "$OUT")"
node -e '
  const [k, c, m, out] = process.argv.slice(1).map((f, i) => i < 3 ? require(f) : f);
  const os = require("os");
  const all = {
    takenAt: new Date().toISOString(),
    machine: { cpuModel: os.cpus()[0].model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    killedIngest: k, corruptBundles: c, missingBlobs: m,
    faultsInjected: k.faultsInjected + c.faultsInjected + m.deletedObjects,
    rowsChecked: k.rowsChecked,
  };
  require("fs").writeFileSync(out, JSON.stringify(all, null, 2) + "\n");
  console.log(`killed ingest: ${k.faultsInjected} kills, then ${k.rowsChecked} rows checked in ${k.tables.length} tables: ${k.problems.length ? k.problems.join("; ") : "one copy of every row"}`);
  console.log(`corrupt bundles: ${c.variants} variants x (CLI, API) = ${c.faultsInjected}, refused ${c.refused}, naming the file ${c.refusedNamingTheFile}, variants that changed what readers see: ${c.variantsThatChangedServing}`);
  console.log(`missing R2 objects: ${m.deletedObjects} deleted; ${m.probes.map((p) => `${p.what}: ${p.status}`).join("; ")}`);
  for (const f of [...c.knownFindings, ...m.knownFindings]) console.log(`known finding ${f}`);
  for (const p of [...k.problems, ...c.problems, ...m.problems]) console.log(`PROBLEM ${p}`);
  console.log(`faults injected: ${all.faultsInjected}, rows checked: ${all.rowsChecked}; results in ${out}`);
' "$WORK/killed.json" "$WORK/corrupt.json" "$WORK/missing.json" "$OUT"
exit "$rc"
