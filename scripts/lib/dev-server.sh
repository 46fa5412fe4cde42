# Start and stop a local Feature Atlas Worker (`wrangler dev`, fully local) for
# scripts that need a real server: fuzzing, load, fault injection, benches.
#
#   source scripts/lib/dev-server.sh
#   dev_server_migrate STATE_DIR            # apply D1 migrations to that state
#   dev_server_start PORT STATE_DIR [extra wrangler dev args...]
#   curl "$DEV_SERVER_URL/v1/models"
#   dev_server_stop                         # also runs on EXIT, INT and TERM
#   dev_server_start PORT STATE_DIR $(dev_server_build STATE_DIR)   # serve a fixed build
#
# Each server keeps its own local D1/R2 under STATE_DIR (`--persist-to`), so
# several scripts can run at once without sharing state. The admin key comes
# from DEV_SERVER_ADMIN_KEY (a default local-only value when unset), exported
# so callers can use it. Server output goes to STATE_DIR/dev-server.log.

DEV_SERVER_PID=""
DEV_SERVER_URL=""
DEV_SERVER_LOG=""
: "${DEV_SERVER_ADMIN_KEY:=local-admin-key-for-scripts-0000}"
export DEV_SERVER_ADMIN_KEY

# npm run/npx put node_modules/.bin first so wrangler runs on the bundled Node
# 22; scripts started outside npm get the same PATH here.
_dev_server_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case ":$PATH:" in
  *":$_dev_server_root/node_modules/.bin:"*) ;;
  *) export PATH="$_dev_server_root/node_modules/.bin:$PATH" ;;
esac
_dev_server_probe="__dev-server-ready-probe"
export CI=true WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

dev_server_migrate() {
  local state_dir="$1"
  mkdir -p "$state_dir"
  (cd "$_dev_server_root" && wrangler d1 migrations apply DB --local --persist-to "$state_dir") \
    >"$state_dir/migrate.log" 2>&1 || {
    echo "dev-server: D1 migrations failed, see $state_dir/migrate.log" >&2
    tail -20 "$state_dir/migrate.log" >&2
    return 1
  }
}

# Builds the Worker once into STATE_DIR/dist, writes a copy of wrangler.toml
# that serves that build unbundled, and prints the arguments that select it:
# wrangler dev then no longer reloads when files under src/ change mid-run
# (other work in the same tree would restart the Worker).
dev_server_build() {
  local state_dir="$1"
  mkdir -p "$state_dir"
  (cd "$_dev_server_root" && wrangler deploy --dry-run --outdir "$state_dir/dist") >"$state_dir/build.log" 2>&1 || {
    echo "dev-server: build failed, see $state_dir/build.log" >&2
    tail -20 "$state_dir/build.log" >&2
    return 1
  }
  # The build is served through an entry that reads unread request bodies to
  # the end (see drained-entry.mjs): without it wrangler dev's proxy fails
  # about one request with a body in 2,000 (H6 in docs/hardening-findings.md).
  cp "$_dev_server_root/scripts/lib/drained-entry.mjs" "$state_dir/dist/drained-entry.mjs"
  _dev_server_config_for "$state_dir" "$state_dir/dist/drained-entry.mjs"
  echo "--config $state_dir/wrangler.toml"
}

# A copy of wrangler.toml in STATE_DIR that serves SCRIPT unbundled. (Passing
# the script as wrangler dev's positional argument instead loses [vars].)
_dev_server_config_for() {
  local state_dir="$1" script="$2"
  # find_additional_modules and the ESModule rule let an entry in that folder
  # import the build beside it (drained-entry.mjs imports ./index.js).
  {
    echo 'no_bundle = true'
    echo 'find_additional_modules = true'
    sed -e "s|^main = .*|main = \"$script\"|" "$_dev_server_root/wrangler.toml"
    printf '\n[[rules]]\ntype = "ESModule"\nglobs = ["**/*.js", "**/*.mjs"]\n'
  } >"$state_dir/wrangler.toml"
}

dev_server_start() {
  local port="$1" state_dir="$2"
  shift 2
  local timeout_s="${DEV_SERVER_TIMEOUT_S:-90}"
  mkdir -p "$state_dir"
  # `dev_server_start PORT DIR built/index.js --no-bundle ...` is served
  # through a config copy too, so it keeps the [vars] of wrangler.toml.
  if [[ "${1:-}" == *.js && -f "${1:-}" && "${2:-}" == "--no-bundle" ]]; then
    _dev_server_config_for "$state_dir" "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
    shift 2
    set -- --config "$state_dir/wrangler.toml" "$@"
  fi
  DEV_SERVER_URL="http://127.0.0.1:$port"
  DEV_SERVER_LOG="$state_dir/dev-server.log"
  if curl -s -o /dev/null --max-time 1 "$DEV_SERVER_URL/$_dev_server_probe"; then
    echo "dev-server: port $port already answers; refusing to share it" >&2
    return 1
  fi
  # setsid gives wrangler its own process group, so stopping it also stops the
  # workerd children it spawns, and nothing else.
  # The caller's arguments go first: a script path after an array option
  # such as --var would be read as one more of its values.
  (cd "$_dev_server_root" && exec setsid wrangler dev "$@" --ip 127.0.0.1 --port "$port" \
    --persist-to "$state_dir" --show-interactive-dev-session=false --log-level warn \
    --var "ADMIN_KEY:$DEV_SERVER_ADMIN_KEY") >"$DEV_SERVER_LOG" 2>&1 &
  DEV_SERVER_PID=$!
  # A caller with its own EXIT trap (which should call dev_server_stop) keeps it.
  if [[ -z "$(trap -p EXIT)" ]]; then trap dev_server_stop EXIT; fi
  trap 'exit 130' INT TERM
  local deadline=$((SECONDS + timeout_s))
  # Any HTTP answer (a 404 here) means the Worker is loaded and serving.
  until curl -s -o /dev/null --max-time 2 "$DEV_SERVER_URL/$_dev_server_probe"; do
    if ! kill -0 "$DEV_SERVER_PID" 2>/dev/null; then
      echo "dev-server: wrangler dev exited before answering; last log lines:" >&2
      tail -30 "$DEV_SERVER_LOG" >&2
      DEV_SERVER_PID=""
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "dev-server: no answer on $DEV_SERVER_URL after ${timeout_s}s; see $DEV_SERVER_LOG" >&2
      dev_server_stop
      return 1
    fi
    sleep 0.25
  done
  # Another server may have taken the port between the check above and our
  # bind; then the answer came from it, and our wrangler has exited.
  sleep 0.5
  if ! kill -0 "$DEV_SERVER_PID" 2>/dev/null; then
    echo "dev-server: wrangler dev exited after $DEV_SERVER_URL answered (port taken?); last log lines:" >&2
    tail -20 "$DEV_SERVER_LOG" >&2
    DEV_SERVER_PID=""
    return 1
  fi
  echo "dev-server: $DEV_SERVER_URL ready (state in $state_dir)" >&2
}

dev_server_stop() {
  [[ -n "$DEV_SERVER_PID" ]] || return 0
  local pid="$DEV_SERVER_PID"
  DEV_SERVER_PID=""
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
