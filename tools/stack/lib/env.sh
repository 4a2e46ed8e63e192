# shellcheck shell=bash
# Per-service connection settings: what `stack.sh env <service>` prints and $STATE/env/<service>.env holds.

ENV_TARGETS=("${SERVICES[@]}" cli owner)

is_env_target() {
  local t
  for t in "${ENV_TARGETS[@]}"; do [[ $t == "$1" ]] && return 0; done
  return 1
}

env_lines() {
  local svc=$1 access secret_key
  case $svc in
    owner | cli)
      access="$(minio_root_user)"
      secret_key="$(minio_root_password)"
      ;;
    *)
      access="$(minio_user "$svc")"
      secret_key="$(minio_user_secret "$svc")"
      ;;
  esac
  local -a kv=(
    KAFKA_BROKERS "$KAFKA_BOOTSTRAP"
    FLOWSENTRY_TOPIC_PREFIX "$TOPIC_PREFIX"
    MINIO_ENDPOINT "$MINIO_ENDPOINT"
    MINIO_ACCESS_KEY "$access"
    MINIO_SECRET_KEY "$secret_key"
    FLOWSENTRY_BUCKET_PREFIX "$BUCKET_PREFIX"
    PGHOST 127.0.0.1
    PGPORT "$PG_PORT"
    PGDATABASE "$PG_DB"
    PGUSER "$(pg_role "$svc")"
    PGPASSWORD "$(pg_password "$svc")"
    OTEL_EXPORTER_OTLP_ENDPOINT "http://127.0.0.1:$JAEGER_OTLP_HTTP_PORT"
    JAEGER_QUERY_URL "$JAEGER_QUERY_URL"
  )
  # The evaluator serves the registry API behind a bearer token; operators read it from the same file.
  if [[ $svc == evaluator ]]; then
    secret registry-api-token >/dev/null
    kv+=(REGISTRY_API_TOKEN_FILE "$SECRET_DIR/registry-api-token")
  fi
  local i
  for ((i = 0; i < ${#kv[@]}; i += 2)); do
    # Values are hex secrets, names and URLs; quoting keeps an empty prefix a valid shell and dotenv line.
    printf "export %s='%s'\n" "${kv[i]}" "${kv[i + 1]}"
  done
}

write_env_files() {
  local svc
  for svc in "${ENV_TARGETS[@]}"; do
    (umask 077 && env_lines "$svc" >"$ENV_DIR/$svc.env.tmp" && mv "$ENV_DIR/$svc.env.tmp" "$ENV_DIR/$svc.env")
  done
}

print_env() {
  local svc=${1:-}
  if ! is_env_target "$svc"; then
    local IFS='|'
    die "usage: stack.sh env <${ENV_TARGETS[*]}>; got '$svc'"
  fi
  if ! has_secret minio-root-password || ! has_secret "pg-$svc"; then
    die "no credentials yet; run 'tools/stack/stack.sh up' first"
  fi
  env_lines "$svc"
}
