#!/usr/bin/env bash
# flowsentry local stack: real Kafka, MinIO, PostgreSQL and Jaeger servers on 127.0.0.1, no Docker engine needed.
# Usage: stack.sh up | down | status | logs [server] [-f] | reset | env <service> | migrate
set -euo pipefail

LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib"
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/go.sh
source "$LIB/go.sh"
# shellcheck source=lib/kafka.sh
source "$LIB/kafka.sh"
# shellcheck source=lib/minio.sh
source "$LIB/minio.sh"
# shellcheck source=lib/postgres.sh
source "$LIB/postgres.sh"
# shellcheck source=lib/jaeger.sh
source "$LIB/jaeger.sh"
# shellcheck source=lib/env.sh
source "$LIB/env.sh"

SERVERS=(kafka minio postgres jaeger)

usage() {
  cat <<EOF
usage: tools/stack/stack.sh <command>
  up              install what is missing, start every server, create topics/buckets/users/roles, run migrations
  down            stop every server (SIGTERM, then SIGKILL after 30s)
  restart <server>  stop one server (${SERVERS[*]}), then bring the stack up again (outage drills, tests)
  status          one line per server: state, pid, ports
  logs [server] [-f]  last lines of a server log (${SERVERS[*]}), -f to follow
  reset           down, then wipe the data dirs (secrets are kept)
  env <service>   export lines for ${ENV_TARGETS[*]}
  migrate         rerun the project's migrations as the owner role
state: $STATE   cache: $CACHE
EOF
}

# Only one `up`/`down`/`reset` at a time: two concurrent runs would race on pid files and formatting.
take_lock() {
  exec 9>"$RUN_DIR/command.lock"
  if ! flock -n 9; then
    log "another stack.sh command is running; waiting for it (up to 30 min)"
    flock -w 1800 9 || die "another stack.sh command still holds $RUN_DIR/command.lock after 30 min; check for a stuck run"
  fi
}

cmd_up() {
  local start=$SECONDS
  need_cmd curl curl
  need_cmd ss iproute2
  take_lock up
  save_settings
  preflight_ports
  kafka_up
  minio_up
  pg_up
  jaeger_up
  write_env_files
  log "stack up in $((SECONDS - start))s — credentials: tools/stack/stack.sh env <service> (files in $ENV_DIR)"
}

# Every port a stopped server will need is checked before anything starts, so a clash costs seconds, not a Kafka boot.
preflight_ports() {
  running_pid kafka >/dev/null || ensure_ports_free Kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  running_pid minio >/dev/null || ensure_ports_free MinIO "$MINIO_PORT" "$MINIO_CONSOLE_PORT"
  pg_pid >/dev/null || ensure_ports_free PostgreSQL "$PG_PORT"
  running_pid jaeger >/dev/null || ensure_ports_free Jaeger "${JAEGER_PORTS[@]}"
}

cmd_down() {
  take_lock down
  jaeger_down
  pg_down
  minio_down
  kafka_down
}

# One server down and up again while everything else keeps running: what a broker restart looks like to the services.
cmd_restart() {
  local server=${1:-}
  [[ " ${SERVERS[*]} " == *" $server "* ]] || die "restart needs a server: one of ${SERVERS[*]}"
  (take_lock "restart $server"; "${server/postgres/pg}_down")
  cmd_up
}

cmd_status() {
  kafka_status
  minio_status
  pg_status
  jaeger_status
}

cmd_logs() {
  local server="" follow=""
  for arg in "$@"; do
    case $arg in
      -f | --follow) follow=1 ;;
      *) server=$arg ;;
    esac
  done
  local -a files=()
  if [[ -n $server ]]; then
    [[ " ${SERVERS[*]} " == *" $server "* ]] || die "unknown server '$server'; choose one of: ${SERVERS[*]}"
    files=("$LOG_DIR/$server.log")
  else
    for server in "${SERVERS[@]}"; do files+=("$LOG_DIR/$server.log"); done
  fi
  for f in "${files[@]}"; do [[ -f $f ]] || die "no log yet at $f; run 'tools/stack/stack.sh up' first"; done
  if [[ -n $follow ]]; then exec tail -n 50 -F "${files[@]}"; else tail -n 50 "${files[@]}"; fi
}

cmd_reset() {
  cmd_down
  log "wiping data dirs and provisioning marks under $STATE (secrets kept)"
  rm -rf "$DATA_DIR" "$CONF_DIR/kafka" "$RUN_DIR"/*.stamp
  mkdir -p "$DATA_DIR"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    up | down | reset | migrate | restart) ensure_layout ;;
    status | logs | env) ;;
    -h | --help | help | "") usage; return 0 ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
  load_settings
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    reset) cmd_reset ;;
    env) print_env "${1:-}" ;;
    migrate)
      pg_pid >/dev/null || die "PostgreSQL is not running; run 'tools/stack/stack.sh up' first"
      PG_BIN="$(pg_find_bin)"
      pg_migrate force
      ;;
  esac
}

main "$@"
