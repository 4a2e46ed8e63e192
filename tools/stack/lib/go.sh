# shellcheck shell=bash
# Go toolchain for building MinIO, mc and Jaeger from the module proxy, with every cache under $CACHE.

GO_MIN_MINOR=24                   # minio, mc and jaeger v1.76.0 all declare go >= 1.24
GO_BOOTSTRAP_VERSION=go1.26.0     # toolchain fetched as a Go module when only Debian's old Go is around

go_minor() { "$1" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p'; }

go_ok() { local m; m="$(go_minor "$1")"; [[ -n $m ]] && ((m >= GO_MIN_MINOR)); }

# Sets GO to a Go >= 1.24. Debian bookworm ships 1.19, which is too old but can still fetch the official
# toolchain, published as the module golang.org/toolchain, through the module proxy.
ensure_go() {
  [[ -n ${GO:-} ]] && return 0
  local candidate
  for candidate in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go "$CACHE/go/toolchain/bin/go"; do
    if [[ -n $candidate && -x $candidate ]] && go_ok "$candidate"; then
      GO=$candidate
      return 0
    fi
  done
  local old
  old="$(command -v go 2>/dev/null || true)"
  if [[ -z $old ]]; then
    apt_install golang-go
    old="$(command -v go)"
  fi
  local dir
  log "Go on this machine is older than 1.$GO_MIN_MINOR; fetching toolchain $GO_BOOTSTRAP_VERSION as a Go module"
  dir="$(cd /tmp && GOMODCACHE="$CACHE/go/mod" GOFLAGS=-mod=mod "$old" mod download -json \
    "golang.org/toolchain@v0.0.1-$GO_BOOTSTRAP_VERSION.linux-$(dpkg --print-architecture)" 2>>"$LOG_DIR/go-bootstrap.log" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || true
  [[ -n $dir && -x $dir/bin/go ]] ||
    die "no Go >= 1.$GO_MIN_MINOR and fetching $GO_BOOTSTRAP_VERSION failed (see $LOG_DIR/go-bootstrap.log); install Go >= 1.$GO_MIN_MINOR into /usr/local/go"
  rm -rf "$CACHE/go/toolchain"
  cp -a "$dir" "$CACHE/go/toolchain"
  chmod -R u+w "$CACHE/go/toolchain"
  GO="$CACHE/go/toolchain/bin/go"
}

# go_binary_is <binary> <module> <version>: Go binaries embed the versions of the modules they were built from.
go_binary_is() {
  [[ -x $1 ]] || return 1
  "$GO" version -m "$1" 2>/dev/null | awk -v m="$2" -v v="$3" '($1 == "mod" || $1 == "dep") && $2 == m && $3 == v { found = 1 } END { exit !found }'
}

# go_env_run <cmd...>: runs with the project's Go caches; GOTOOLCHAIN=local keeps the build on the toolchain we chose.
go_env_run() {
  env GOBIN="$BIN_DIR" GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/cache" CGO_ENABLED=0 GOTOOLCHAIN=local "$@"
}
