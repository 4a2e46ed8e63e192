# shellcheck shell=bash
# PostgreSQL from Debian's packages, as a private cluster in the state dir run by a non-root OS user.

PG_DB=flowsentry
PG_OWNER=flowsentry_owner
PG_DATA="$DATA_DIR/postgres"
PG_SOCKET_DIR="$RUN_DIR/postgres"
PG_ROLES=(owner "${SERVICES[@]}" cli)

pg_role() { printf 'flowsentry_%s' "$1"; }
pg_password() { secret "pg-$1"; }

pg_find_bin() {
  local dir
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -n 1 || true)"
  [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]] && printf '%s' "$dir"
}

pg_install() {
  PG_BIN="$(pg_find_bin)" && return 0
  # Debian's package would otherwise create and start its own cluster on 5432, the port ours wants.
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    mkdir -p /etc/postgresql-common
    printf 'create_main_cluster = false\n' >/etc/postgresql-common/createcluster.conf
  fi
  apt_install postgresql
  PG_BIN="$(pg_find_bin)" || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin; check $LOG_DIR/apt.log"
}

# initdb refuses root; Debian's `postgres` account exists once the package is in, else a system user of our own.
pg_os_user() {
  if id postgres >/dev/null 2>&1; then
    PG_OS_USER=postgres
  else
    id flowsentry >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin flowsentry ||
      die "cannot create the system user 'flowsentry' that runs PostgreSQL; create a non-root user and retry"
    PG_OS_USER=flowsentry
  fi
}

as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }

# The state dir usually sits under a 0700 home; grant the PostgreSQL user traverse rights on just the ancestors it must cross.
pg_grant_traverse() {
  # shellcheck disable=SC2153 # STATE comes from common.sh
  local dir="$STATE" d
  local -a chain=() granted=()
  while [[ $dir != / ]]; do
    chain=("$dir" "${chain[@]}")
    dir="$(dirname "$dir")"
  done
  for d in "${chain[@]}"; do
    as_pg test -x "$d" 2>/dev/null && continue
    need_cmd setfacl acl
    setfacl -m "u:$PG_OS_USER:x" "$d" || die "cannot let $PG_OS_USER traverse $d (setfacl failed); set FLOWSENTRY_STATE to a directory it can reach"
    granted+=("$d")
  done
  ((${#granted[@]} == 0)) || log "postgres: granted $PG_OS_USER traverse-only access (ACL u:$PG_OS_USER:x) on ${granted[*]}"
}

pg_pid() {
  [[ -f $PG_DATA/postmaster.pid ]] || return 1
  local pid
  pid="$(head -n 1 "$PG_DATA/postmaster.pid")"
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

pg_ready() { "${PG_BIN:-$(pg_find_bin)}/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres; }

pg_wait_ready() {
  local start=$SECONDS
  until pg_ready; do
    pg_pid >/dev/null || die "PostgreSQL exited during start-up: $(tail -n 1 "$LOG_DIR/postgres.log" | cut -c1-200) — see $LOG_DIR/postgres.log"
    ((SECONDS - start < 60)) || die "PostgreSQL did not answer within 60s — see $LOG_DIR/postgres.log"
    sleep 0.5
  done
}

pg_initdb() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  mkdir -p "$PG_DATA"
  chown "$PG_OS_USER:" "$PG_DATA"
  chmod 700 "$PG_DATA"
  log "postgres: initdb $PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" --encoding=UTF8 --locale=C --auth-local=peer --auth-host=scram-sha-256 \
    >"$LOG_DIR/postgres-initdb.log" 2>&1 || die "initdb failed — see $LOG_DIR/postgres-initdb.log"
  printf "\ninclude_if_exists = 'flowsentry.conf'\n" >>"$PG_DATA/postgresql.conf"
}

pg_write_config() {
  # Rewritten on each start so a changed FLOWSENTRY_PG_PORT takes effect.
  cat >"$PG_DATA/flowsentry.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
password_encryption = 'scram-sha-256'
EOF
  chown "$PG_OS_USER:" "$PG_DATA/flowsentry.conf"
  mkdir -p "$PG_SOCKET_DIR"
  chown "$PG_OS_USER:" "$PG_SOCKET_DIR"
  touch "$LOG_DIR/postgres.log"
  chown "$PG_OS_USER:" "$LOG_DIR/postgres.log"
}

# Superuser SQL over the private socket (peer auth); SQL arrives on stdin so passwords never sit in argv.
pg_admin_sql() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -d "${1:-postgres}" >>"$LOG_DIR/postgres-admin.log" 2>&1; }

pg_provision() {
  local r role sql=""
  for r in "${PG_ROLES[@]}"; do
    role="$(pg_role "$r")"
    sql+="SELECT 'CREATE ROLE $role LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') \\gexec
ALTER ROLE $role LOGIN PASSWORD '$(pg_password "$r")';
"
  done
  sql+="SELECT 'CREATE DATABASE $PG_DB OWNER $PG_OWNER' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DB') \\gexec
REVOKE ALL ON DATABASE $PG_DB FROM PUBLIC;
"
  for r in "${PG_ROLES[@]}"; do sql+="GRANT CONNECT ON DATABASE $PG_DB TO $(pg_role "$r");
"; done
  pg_admin_sql postgres <<<"$sql" || die "creating PostgreSQL roles/database failed — see $LOG_DIR/postgres-admin.log"
  # Migrations run as the owner, so it owns the schema they fill; other roles get grants from those migrations.
  pg_admin_sql "$PG_DB" <<<"ALTER SCHEMA public OWNER TO $PG_OWNER; REVOKE CREATE ON SCHEMA public FROM PUBLIC;" ||
    die "setting schema ownership failed — see $LOG_DIR/postgres-admin.log"
  write_stamp postgres-provisioned "$PG_PORT|${PG_ROLES[*]}"
  log "postgres: database $PG_DB and roles ready (${PG_ROLES[*]/#/flowsentry_})"
}

# Fingerprint of what the migrations depend on, so an unchanged tree does not rerun them on every `up`.
pg_migrations_fingerprint() {
  {
    node -e 'const p=require(process.argv[1]);process.stdout.write(String((p.scripts||{}).migrate||""))' "$REPO_ROOT/package.json"
    find "$REPO_ROOT/libs/audit" -path '*/node_modules' -prune -o -type f -printf '%P %T@ %s\n' 2>/dev/null | sort
  } | sha256sum | cut -c1-16
}

pg_migrate() {
  local force=${1:-}
  if ! node -e 'process.exit((require(process.argv[1]).scripts||{}).migrate?0:1)' "$REPO_ROOT/package.json" 2>/dev/null; then
    log "postgres: no 'migrate' script in package.json yet — skipping migrations"
    return 0
  fi
  local fp
  fp="$(pg_migrations_fingerprint)"
  if [[ -z $force ]] && stamp_matches postgres-migrated "$PG_PORT|$fp"; then
    return 0
  fi
  log "postgres: running 'npm run migrate' as $PG_OWNER (log: $LOG_DIR/migrate.log)"
  (cd "$REPO_ROOT" && env PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGDATABASE="$PG_DB" PGUSER="$PG_OWNER" \
    PGPASSWORD="$(pg_password owner)" npm run --silent migrate) >"$LOG_DIR/migrate.log" 2>&1 ||
    die "migrations failed: $(tail -n 1 "$LOG_DIR/migrate.log" | cut -c1-200) — see $LOG_DIR/migrate.log; fix and run 'tools/stack/stack.sh migrate'"
  write_stamp postgres-migrated "$PG_PORT|$fp"
  log "postgres: migrations applied"
}

pg_up() {
  local pid
  if pid="$(pg_pid)"; then
    PG_BIN="$(pg_find_bin)"
    pg_os_user
    pg_wait_ready
    stamp_matches postgres-provisioned "$PG_PORT|${PG_ROLES[*]}" || pg_provision
    log "postgres: already running (pid $pid)"
    pg_migrate
    return 0
  fi
  pg_install
  pg_os_user
  ensure_ports_free PostgreSQL "$PG_PORT"
  mkdir -p "$DATA_DIR"
  pg_grant_traverse
  pg_initdb
  pg_write_config
  log "postgres: starting $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT"
  # pg_ctl daemonizes the postmaster and keeps its pid in postmaster.pid, which `down`/`status` read.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -s start >"$LOG_DIR/postgres-ctl.log" 2>&1 8>&- 9>&- ||
    die "pg_ctl start failed: $(tail -n 1 "$LOG_DIR/postgres-ctl.log" | cut -c1-200) — see $LOG_DIR/postgres.log"
  pg_wait_ready
  log "postgres: up (pid $(pg_pid))"
  pg_provision
  pg_migrate force
}

pg_down() {
  local pid
  if ! pid="$(pg_pid)"; then
    log "postgres: not running"
    return 0
  fi
  # SIGINT is PostgreSQL's "fast" shutdown: SIGTERM ("smart") would wait for every client to disconnect.
  signal_and_wait "$pid" postgres INT
  log "postgres stopped (pid $pid)"
}

pg_status() {
  local pid state
  if pid="$(pg_pid)"; then
    if pg_ready; then state=up; else state=starting; fi
  else
    state=down pid=-
  fi
  printf '%-9s %-9s pid %-8s port %s\n' postgres "$state" "$pid" "$PG_PORT"
}
