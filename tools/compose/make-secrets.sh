#!/usr/bin/env bash
# Generates the random credentials docker-compose.yml mounts as secrets, into the git-ignored ./.secrets/.
# Idempotent: an existing file is kept (rotating a password means deleting its file and the volume that
# remembers it). Values are hex, so they need no quoting in SQL, URLs or env files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${FLOWSENTRY_SECRETS_DIR:-$ROOT/.secrets}"
SERVICES=(ingest transform trainer evaluator monitor)

# The directory is private to its owner; the files inside are world-readable because compose bind-mounts
# them as they are, and the containers read them as their own non-root users (postgres, uid 1000, ...).
umask 022
mkdir -p "$DIR"
chmod 700 "$DIR"

made=0
put() {
  local name=$1 value=$2
  [[ -s $DIR/$name ]] && return 0
  printf '%s' "$value" >"$DIR/$name.tmp"
  chmod 644 "$DIR/$name.tmp"
  mv "$DIR/$name.tmp" "$DIR/$name"
  made=$((made + 1))
}
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

put minio-root-user "flowsentry-root-$(random_hex 4)"
put minio-root-password "$(random_hex 24)"
put pg-superuser "$(random_hex 24)"
for role in owner "${SERVICES[@]}" cli; do put "pg-$role" "$(random_hex 24)"; done
for svc in "${SERVICES[@]}"; do put "minio-$svc" "$(random_hex 24)"; done
# The evaluator's registry API (/models) accepts only this bearer token; give it to whoever operates the registry.
put registry-api-token "$(random_hex 32)"
# The monitor's alert webhook is the operator's to give, not a random value: the file starts empty (alerts are
# then only logged) and is never touched again, so a URL written into it survives later runs.
if [[ ! -e $DIR/monitor-webhook-url ]]; then
  : >"$DIR/monitor-webhook-url"
  chmod 644 "$DIR/monitor-webhook-url"
  made=$((made + 1))
fi

echo "secrets in $DIR: $made created, $(($(find "$DIR" -maxdepth 1 -type f | wc -l) - made)) kept"
