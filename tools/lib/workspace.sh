# Sourced by tools/demo.sh and tools/test-all.sh: one definition of where caches live and how the
# workspace gets installed and built on a fresh machine.
export ONNXRUNTIME_NODE_INSTALL=skip # onnxruntime-node would fetch CUDA binaries; the CPU runtime ships in the package
export FLOWSENTRY_CACHE="${FLOWSENTRY_CACHE:-$HOME/.cache/flowsentry}"
export npm_config_cache="${npm_config_cache:-$FLOWSENTRY_CACHE/npm}"

# Installs dependencies when node_modules is missing or older than the lock file, then builds.
ensure_workspace() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=warn || return 1
  fi
  npx tsc -b tsconfig.build.json
}
