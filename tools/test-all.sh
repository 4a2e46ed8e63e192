#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs dependencies, builds, starts the real local
# stack (Kafka, MinIO, PostgreSQL, Jaeger), runs unit and integration tests, and ends with the
# plain summary line `N passed, N failed, N skipped` counted from jest's own JSON results.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=lib/workspace.sh
source tools/lib/workspace.sh
results="$(mktemp -d)"
# Every service process an integration test starts keeps its output here, for reading a failure afterwards.
export TEST_SERVICE_LOG_DIR="${TEST_SERVICE_LOG_DIR:-$results/services}"

step() { printf '\n==> %s\n' "$*" >&2; }
die() { echo "test-all: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

step "installing dependencies (npm cache in $npm_config_cache) and building"
ensure_workspace >&2 || die "install or build failed (see above)"

step "lint (eslint) and typecheck (tsc, specs included: the test runners only strip types)"
static_failed=0
npx eslint . >&2 || static_failed=1
npx tsc -p tsconfig.json --noEmit >&2 || static_failed=1

step "starting the local stack"
bash tools/stack/stack.sh up >&2 || die "the local stack did not start (see messages above)"

step "unit tests"
npx jest --selectProjects unit --json --outputFile="$results/unit.json" >&2
step "integration tests (real Kafka, MinIO, PostgreSQL, Jaeger)"
npx jest --selectProjects integration --runInBand --forceExit --json --outputFile="$results/integration.json" >&2

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  const firstLine = (text) => (text ?? "").replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).find((l) => l && !l.startsWith("●")) ?? "";
  for (const name of ["unit", "integration"]) {
    const file = process.argv[1] + "/" + name + ".json";
    if (!fs.existsSync(file)) { failed += 1; console.error(name + ": jest wrote no results"); continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const suite of r.testResults)
      for (const t of suite.assertionResults.filter((a) => a.status === "failed"))
        console.error(`FAILED ${suite.name.replace(process.cwd() + "/", "")} › ${t.title}: ${firstLine(t.failureMessages[0])}`);
    for (const suite of r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0))
      console.error(`FAILED ${suite.name.replace(process.cwd() + "/", "")}: ${firstLine(suite.message)}`);
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.error("service logs of the integration tests: " + process.env.TEST_SERVICE_LOG_DIR);
  if (process.argv[2] === "1") console.error("lint or typecheck failed (see eslint and tsc output above)");
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed > 0 || passed === 0 || process.argv[2] === "1" ? 1 : 0);
' "$results" "$static_failed"
