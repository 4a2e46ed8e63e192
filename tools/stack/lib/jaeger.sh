# shellcheck shell=bash
# Jaeger v2 (an OpenTelemetry Collector distribution) with in-memory storage, built from the module proxy.

# The module path has no /v2, so v2 releases are reachable only through their twin v1 tag: v1.76.0 is v2.13.0.
JAEGER_MODULE=github.com/jaegertracing/jaeger
JAEGER_VERSION=v1.76.0
# v1.76.0 replaces Shopify/sarama in its own go.mod; replace directives do not carry over to a dependant, so repeat it.
JAEGER_SARAMA_REPLACE="github.com/Shopify/sarama => github.com/Shopify/sarama v1.33.0"
JAEGER_OTLP_GRPC_PORT=4317
JAEGER_OTLP_HTTP_PORT=4318
JAEGER_QUERY_PORT=16686
JAEGER_QUERY_GRPC_PORT=16685
JAEGER_HEALTH_PORT=13133
JAEGER_METRICS_PORT=8888
JAEGER_ZPAGES_PORT=27778
JAEGER_PORTS=("$JAEGER_OTLP_GRPC_PORT" "$JAEGER_OTLP_HTTP_PORT" "$JAEGER_QUERY_PORT" "$JAEGER_QUERY_GRPC_PORT"
  "$JAEGER_HEALTH_PORT" "$JAEGER_METRICS_PORT" "$JAEGER_ZPAGES_PORT")
JAEGER_QUERY_URL="http://127.0.0.1:$JAEGER_QUERY_PORT"
JAEGER_BUILD="$BUILD_DIR/jaeger"

jaeger_write_build_module() {
  mkdir -p "$JAEGER_BUILD"
  local gomod
  gomod="module flowsentry.local/jaeger-build

go 1.24.6

require $JAEGER_MODULE $JAEGER_VERSION

replace $JAEGER_SARAMA_REPLACE"
  [[ -f $JAEGER_BUILD/go.mod && "$(cat "$JAEGER_BUILD/go.mod")" == "$gomod" ]] || printf '%s\n' "$gomod" >"$JAEGER_BUILD/go.mod"
  printf '//go:build tools\npackage tools\nimport _ "%s/cmd/jaeger"\n' "$JAEGER_MODULE" >"$JAEGER_BUILD/tools.go"
}

# The proxy mirror here answers module downloads but not checksum-database lookups for many OpenTelemetry
# modules. Jaeger's own go.sum (itself verified when the jaeger module is fetched) already holds their hashes,
# so seeding our go.sum with it keeps every download verified without touching GOSUMDB/GONOSUMDB.
jaeger_seed_go_sum() {
  local dir
  dir="$(cd "$JAEGER_BUILD" && go_env_run GOFLAGS=-mod=mod "$GO" mod download -json "$JAEGER_MODULE@$JAEGER_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n $dir && -f $dir/go.sum ]] || die "could not fetch $JAEGER_MODULE@$JAEGER_VERSION from the Go module proxy; check GOPROXY and retry"
  touch "$JAEGER_BUILD/go.sum"
  sort -u "$JAEGER_BUILD/go.sum" "$dir/go.sum" >"$JAEGER_BUILD/go.sum.tmp"
  mv "$JAEGER_BUILD/go.sum.tmp" "$JAEGER_BUILD/go.sum"
}

jaeger_build() {
  jaeger_write_build_module
  jaeger_seed_go_sum
  cd "$JAEGER_BUILD" &&
    go_env_run GOFLAGS="-mod=mod -buildvcs=false" "$GO" build -o "$BIN_DIR/jaeger.tmp" "$JAEGER_MODULE/cmd/jaeger" &&
    mv "$BIN_DIR/jaeger.tmp" "$BIN_DIR/jaeger"
}

jaeger_install() {
  ensure_go
  go_binary_is "$BIN_DIR/jaeger" "$JAEGER_MODULE" "$JAEGER_VERSION" && return 0
  # Another `up` (or a warm-up run) may be compiling already: wait for it rather than compile twice on 2 cores.
  local start=$SECONDS
  while pgrep -f "go build -o $BIN_DIR/jaeger" >/dev/null 2>&1; do
    ((SECONDS - start < 1800)) || die "a Jaeger build already running has not finished in 30 min; stop it and rerun 'up'"
    log "  … waiting for a Jaeger build already in progress ($((SECONDS - start))s)"
    sleep 15
  done
  go_binary_is "$BIN_DIR/jaeger" "$JAEGER_MODULE" "$JAEGER_VERSION" && return 0
  exec 8>"$BUILD_DIR/jaeger.lock"
  flock 8
  if ! go_binary_is "$BIN_DIR/jaeger" "$JAEGER_MODULE" "$JAEGER_VERSION"; then
    run_step "building Jaeger v2 ($JAEGER_MODULE $JAEGER_VERSION; first build takes several minutes)" "$BUILD_DIR/jaeger.log" jaeger_build
  fi
  flock -u 8
}

jaeger_write_config() {
  mkdir -p "$CONF_DIR"
  cat >"$CONF_DIR/jaeger.yaml" <<EOF
# Written by tools/stack on every 'up'; edit tools/stack/lib/jaeger.sh instead. Every listener is on loopback.
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2, zpages]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: basic
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: $JAEGER_METRICS_PORT
    logs:
      level: info

extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:$JAEGER_QUERY_PORT
    grpc:
      endpoint: 127.0.0.1:$JAEGER_QUERY_GRPC_PORT
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:$JAEGER_HEALTH_PORT
  zpages:
    endpoint: 127.0.0.1:$JAEGER_ZPAGES_PORT

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$JAEGER_OTLP_GRPC_PORT
      http:
        endpoint: 127.0.0.1:$JAEGER_OTLP_HTTP_PORT

processors:
  batch:

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
EOF
}

jaeger_answers() { curl -fsS -o /dev/null --max-time 2 "$JAEGER_QUERY_URL/api/services"; }

jaeger_up() {
  local pid
  if pid="$(running_pid jaeger)"; then
    wait_ready jaeger "Jaeger (pid $pid)" 60 jaeger_answers
    log "jaeger: already running (pid $pid)"
    return 0
  fi
  jaeger_install
  ensure_ports_free Jaeger "${JAEGER_PORTS[@]}"
  jaeger_write_config
  log "jaeger: starting (OTLP 127.0.0.1:$JAEGER_OTLP_GRPC_PORT/$JAEGER_OTLP_HTTP_PORT, query $JAEGER_QUERY_URL)"
  start_daemon jaeger "$LOG_DIR/jaeger.log" "$BIN_DIR/jaeger" --config "$CONF_DIR/jaeger.yaml"
  wait_ready jaeger "Jaeger" 60 jaeger_answers
  log "jaeger: up (pid $(running_pid jaeger))"
}

jaeger_down() { stop_daemon jaeger jaeger TERM; }

jaeger_status() { status_line jaeger jaeger "$JAEGER_OTLP_GRPC_PORT,$JAEGER_OTLP_HTTP_PORT,$JAEGER_QUERY_PORT" jaeger_answers; }
