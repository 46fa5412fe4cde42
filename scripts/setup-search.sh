#!/usr/bin/env bash
# Puts the query-embedding model (all-MiniLM-L6-v2, int8 ONNX with fp32
# output projections, and its tokenizer.json) into the local R2 bucket, where
# the Worker loads it once per isolate. scripts/start.sh runs this; benches pass their own state folder.
#
#   bash scripts/setup-search.sh [--persist-to STATE_DIR]
#
# A marker in the state folder remembers the model's sha256, so later starts
# skip the upload. For a deployment, upload the same two files with
# `wrangler r2 object put feature-atlas-blobs/<key> --file <file> --remote`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
export CI=true WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

STATE=".wrangler/state"
persist=()
if [[ "${1:-}" == "--persist-to" ]]; then
  [[ -n "${2:-}" ]] || { echo "setup-search: --persist-to needs a folder" >&2; exit 2; }
  STATE="$2"
  persist=(--persist-to "$2")
elif [[ -n "${1:-}" ]]; then
  echo "setup-search: unknown argument $1 (usage: setup-search.sh [--persist-to STATE_DIR])" >&2
  exit 2
fi

MODEL_DIR="models/all-minilm-l6-v2-q8mix"
BUCKET="feature-atlas-blobs"
FILES=(model.onnx model.onnx.data tokenizer.json)
for f in "${FILES[@]}"; do
  [[ -f "$MODEL_DIR/$f" ]] || { echo "setup-search: $MODEL_DIR/$f is missing (rebuild: gpu-batch/scripts/build_query_encoder.py)" >&2; exit 1; }
done

sum="$(cd "$MODEL_DIR" && cat "${FILES[@]}" | sha256sum | cut -c1-64)"
marker="$STATE/search-model.sha256"
if [[ -f "$marker" && "$(cat "$marker")" == "$sum" ]]; then
  echo "setup-search: query model already in local R2"
  exit 0
fi

mkdir -p "$STATE"
for f in "${FILES[@]}"; do
  echo "setup-search: putting $MODEL_DIR/$f into local R2"
  wrangler r2 object put "$BUCKET/$MODEL_DIR/$f" --file "$MODEL_DIR/$f" --local "${persist[@]}" >"$STATE/setup-search.log" 2>&1 || {
    tail -20 "$STATE/setup-search.log" >&2
    exit 1
  }
done
echo "$sum" >"$marker"
echo "setup-search: query model ready"
