# shellcheck shell=bash
# Shared paths and helpers for tools/stack. Sourced by stack.sh and kafka-tool; defines, never runs.

# Shared by the other lib files and the entry scripts.
# shellcheck disable=SC2034
STACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$STACK_DIR/../.." && pwd)"

CACHE="${FLOWSENTRY_CACHE:-$HOME/.cache/flowsentry}"
STATE="${FLOWSENTRY_STATE:-$CACHE/state}"
BIN_DIR="$CACHE/bin"
BUILD_DIR="$CACHE/build"
LOG_DIR="$STATE/logs"
RUN_DIR="$STATE/run"
DATA_DIR="$STATE/data"
SECRET_DIR="$STATE/secrets"
CONF_DIR="$STATE/conf"
ENV_DIR="$STATE/env"

SERVICES=(ingest transform trainer evaluator monitor)

log() { printf '[stack] %s\n' "$*" >&2; }

# One line on stderr, non-zero exit: every failure the user can act on ends here.
die() {
  printf 'stack: error: %s\n' "$*" >&2
  exit 1
}

ensure_layout() {
  umask 022
  mkdir -p "$BIN_DIR" "$BUILD_DIR" "$LOG_DIR" "$RUN_DIR" "$DATA_DIR" "$CONF_DIR"
  mkdir -p "$SECRET_DIR" "$ENV_DIR"
  chmod 700 "$SECRET_DIR" "$ENV_DIR"
}

# --- settings recorded at `up`, so `env` and later runs agree with what was provisioned ---

# An explicitly set variable (even empty) wins; otherwise the value recorded by the last `up`; otherwise the default.
setting() {
  local name=$1 default=$2 file="$CONF_DIR/settings"
  if [[ -n "${!name+x}" ]]; then
    printf '%s' "${!name}"
  elif [[ -f $file ]] && grep -q "^$name=" "$file"; then
    grep "^$name=" "$file" | tail -n 1 | cut -d= -f2-
  else
    printf '%s' "$default"
  fi
}

load_settings() {
  TOPIC_PREFIX="$(setting FLOWSENTRY_TOPIC_PREFIX '')"
  BUCKET_PREFIX="$(setting FLOWSENTRY_BUCKET_PREFIX '')"
  PARTITIONS="$(setting FLOWSENTRY_PARTITIONS 3)"
  PG_PORT="$(setting FLOWSENTRY_PG_PORT 5432)"
  [[ $PARTITIONS =~ ^[1-9][0-9]*$ ]] || die "FLOWSENTRY_PARTITIONS must be a positive integer, got '$PARTITIONS'"
  if ! [[ $PG_PORT =~ ^[0-9]+$ ]] || ((PG_PORT < 1 || PG_PORT > 65535)); then
    die "FLOWSENTRY_PG_PORT must be a TCP port, got '$PG_PORT'"
  fi
  [[ $TOPIC_PREFIX =~ ^[A-Za-z0-9._-]*$ ]] || die "FLOWSENTRY_TOPIC_PREFIX may only hold letters, digits, '.', '_' and '-', got '$TOPIC_PREFIX'"
  [[ $BUCKET_PREFIX =~ ^([a-z0-9][a-z0-9-]*)?$ ]] || die "FLOWSENTRY_BUCKET_PREFIX may only hold lowercase letters, digits and '-', got '$BUCKET_PREFIX'"
}

save_settings() {
  printf 'FLOWSENTRY_TOPIC_PREFIX=%s\nFLOWSENTRY_BUCKET_PREFIX=%s\nFLOWSENTRY_PARTITIONS=%s\nFLOWSENTRY_PG_PORT=%s\n' \
    "$TOPIC_PREFIX" "$BUCKET_PREFIX" "$PARTITIONS" "$PG_PORT" >"$CONF_DIR/settings"
}

# --- secrets: generated once, mode 600, never echoed ---

secret() {
  local file="$SECRET_DIR/$1"
  if [[ ! -s $file ]]; then
    (umask 077 && od -An -tx1 -N20 /dev/urandom | tr -d ' \n' >"$file.tmp" && mv "$file.tmp" "$file")
  fi
  cat "$file"
}

has_secret() { [[ -s "$SECRET_DIR/$1" ]]; }

# --- packages ---

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* automatically: apt-get not found; install it by hand"
  ((EUID == 0)) || die "installing $* needs root: run 'sudo apt-get install -y $*' once, then retry"
  if ((APT_UPDATED == 0)); then
    log "apt-get update (to install $*)"
    flock /tmp/flowsentry-apt.lock apt-get -o DPkg::Lock::Timeout=600 -qq update >"$LOG_DIR/apt.log" 2>&1 ||
      die "apt-get update failed (see $LOG_DIR/apt.log); check the package mirror is reachable and retry"
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive flock /tmp/flowsentry-apt.lock apt-get -o DPkg::Lock::Timeout=600 -qq -y \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install "$@" >>"$LOG_DIR/apt.log" 2>&1 ||
    die "apt-get install $* failed (see $LOG_DIR/apt.log); fix the cause and rerun 'tools/stack/stack.sh up'"
}

# need_cmd <command> <debian package>
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
  command -v "$1" >/dev/null 2>&1 || die "'$1' still missing after installing $2; install it by hand"
}

# --- long-running steps ---

# run_step <label> <logfile> <cmd...>: runs a slow command with its output in a log and a progress line every 20 s.
run_step() {
  local label=$1 logfile=$2 start=$SECONDS pid rc
  shift 2
  log "$label (log: $logfile)"
  "$@" >"$logfile" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
      kill -0 "$pid" 2>/dev/null || break 2
      sleep 1
    done
    log "  … still $label ($((SECONDS - start))s, last: $(tail -n 1 "$logfile" 2>/dev/null | cut -c1-100))"
  done
  rc=0
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    die "$label failed after $((SECONDS - start))s (exit $rc): $(grep -v '^go: downloading' "$logfile" | tail -n 1 | cut -c1-200) — full log: $logfile"
  fi
  log "$label done in $((SECONDS - start))s"
}

# --- processes and ports ---

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# Prints the pid if the recorded process is alive and still the program we started.
running_pid() {
  local name=$1 file pid
  file="$(pid_file "$name")"
  [[ -f $file ]] || return 1
  pid="$(cat "$file")"
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_owner() {
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*' | head -n 1 | sed 's/users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/'
}

# Refuse to start on a port some other program holds: a silent clash would make clients talk to the wrong server.
ensure_ports_free() {
  local server=$1 port owner
  shift
  for port in "$@"; do
    if port_open "$port"; then
      owner="$(port_owner "$port")"
      die "port $port needed by $server is already in use${owner:+ by $owner}; stop that process (or free the port) and rerun 'tools/stack/stack.sh up'"
    fi
  done
}

# start_daemon <name> <logfile> <cmd...>: detached from this shell so the server outlives it.
start_daemon() {
  local name=$1 logfile=$2 pid
  shift 2
  printf '\n=== %s start %s ===\n' "$name" "$(date -u +%FT%TZ)" >>"$logfile"
  # fds 8/9 carry stack.sh's locks; a server inheriting them would hold the locks for its whole life.
  setsid "$@" >>"$logfile" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$(pid_file "$name")"
}

# wait_ready <name> <label> <timeout s> <probe cmd...>: polls the probe; gives up early if the process died.
wait_ready() {
  local name=$1 label=$2 timeout=$3 start=$SECONDS next=$((SECONDS + 15))
  shift 3
  until "$@" >/dev/null 2>&1; do
    running_pid "$name" >/dev/null || die "$label exited during start-up: $(tail -n 1 "$LOG_DIR/$name.log" 2>/dev/null | cut -c1-200) — see $LOG_DIR/$name.log"
    ((SECONDS - start < timeout)) || die "$label did not answer within ${timeout}s — see $LOG_DIR/$name.log"
    if ((SECONDS >= next)); then
      log "  … waiting for $label ($((SECONDS - start))s)"
      next=$((SECONDS + 15))
    fi
    sleep 0.5
  done
}

# signal_and_wait <pid> <label> <signal>: graceful signal, up to 30 s, then SIGKILL.
signal_and_wait() {
  local pid=$1 label=$2 sig=$3
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$label (pid $pid) ignored SIG$sig for 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
}

# stop_daemon <name> <label> [signal]: stop a process started from a pid file.
stop_daemon() {
  local name=$1 label=$2 sig=${3:-TERM} pid
  if ! pid="$(running_pid "$name")"; then
    rm -f "$(pid_file "$name")"
    log "$label: not running"
    return 0
  fi
  signal_and_wait "$pid" "$label" "$sig"
  rm -f "$(pid_file "$name")"
  log "$label stopped (pid $pid)"
}

# status_line <label> <name> <ports> <probe cmd...>
status_line() {
  local label=$1 name=$2 ports=$3 pid state
  shift 3
  if pid="$(running_pid "$name")"; then
    if "$@" >/dev/null 2>&1; then state=up; else state=starting; fi
  else
    state=down pid=-
  fi
  printf '%-9s %-9s pid %-8s port %s\n' "$label" "$state" "$pid" "$ports"
}

# Stamps mark finished one-time work (formatting, provisioning) with the settings it was done for.
stamp_matches() { [[ -f "$RUN_DIR/$1.stamp" && "$(cat "$RUN_DIR/$1.stamp")" == "$2" ]]; }
write_stamp() { printf '%s' "$2" >"$RUN_DIR/$1.stamp"; }
