# shellcheck shell=bash
# MinIO object store plus mc for admin, both built from source with `go install` at pinned pseudo-versions.

# MinIO publishes no semver tags: these pseudo-versions name release commits and are what the module proxy resolves.
MINIO_MODULE=github.com/minio/minio
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MC_MODULE=github.com/minio/mc
MC_VERSION=v0.0.0-20250313080218-cf909e1063a9   # `go list -m github.com/minio/mc@latest` on this mirror
MINIO_PORT=9000
MINIO_CONSOLE_PORT=9001
MINIO_ENDPOINT="http://127.0.0.1:$MINIO_PORT"
MINIO_DATA="$DATA_DIR/minio"
MINIO_BUCKETS=(raw silver models eval monitor)

minio_bucket() { if [[ -n $BUCKET_PREFIX ]]; then printf '%s-%s' "$BUCKET_PREFIX" "$1"; else printf '%s' "$1"; fi; }

# Buckets a service may read, and buckets it may read and write (BRIEF §6: each stage reads its inputs, writes its layer).
minio_reads() {
  case $1 in
    ingest) ;;
    transform) echo raw ;;
    trainer) echo silver ;;
    evaluator) echo silver models ;;
    monitor) echo silver models eval ;;
  esac
}
# Registry status (candidate/approved/champion) lives in PostgreSQL, so the evaluator never writes `models`.
minio_writes() {
  case $1 in
    ingest) echo raw ;;
    transform) echo silver ;;
    trainer) echo models ;;
    evaluator) echo eval ;;
    monitor) echo monitor ;;
  esac
}

minio_user() { printf 'flowsentry-%s' "$1"; }
minio_root_user() { secret minio-root-user; }
minio_root_password() { secret minio-root-password; }
minio_user_secret() { secret "minio-$1"; }

minio_install() {
  ensure_go
  if ! go_binary_is "$BIN_DIR/minio" "$MINIO_MODULE" "$MINIO_VERSION"; then
    run_step "building MinIO $MINIO_VERSION (first build takes a few minutes)" "$BUILD_DIR/minio.log" \
      go_env_run GOFLAGS=-buildvcs=false "$GO" install "$MINIO_MODULE@$MINIO_VERSION"
  fi
  if ! go_binary_is "$BIN_DIR/mc" "$MC_MODULE" "$MC_VERSION"; then
    run_step "building mc $MC_VERSION" "$BUILD_DIR/mc.log" \
      go_env_run GOFLAGS=-buildvcs=false "$GO" install "$MC_MODULE@$MC_VERSION"
  fi
}

minio_live() { curl -fsS -o /dev/null --max-time 2 "$MINIO_ENDPOINT/minio/health/live"; }

# mc with the root credentials passed through MC_HOST_* (never on the command line, never in mc's config file).
mc_root() {
  MC_CONFIG_DIR="$STATE/mc" MC_HOST_flowsentry="http://$(minio_root_user):$(minio_root_password)@127.0.0.1:$MINIO_PORT" \
    "$BIN_DIR/mc" --no-color --quiet "$@"
}

minio_policy_json() {
  local svc=$1 b statements=() read_arns=() rw_arns=() obj_read=() obj_rw=()
  for b in $(minio_reads "$svc"); do
    read_arns+=("\"arn:aws:s3:::$(minio_bucket "$b")\"")
    obj_read+=("\"arn:aws:s3:::$(minio_bucket "$b")/*\"")
  done
  for b in $(minio_writes "$svc"); do
    rw_arns+=("\"arn:aws:s3:::$(minio_bucket "$b")\"")
    obj_rw+=("\"arn:aws:s3:::$(minio_bucket "$b")/*\"")
  done
  local all_buckets=("${read_arns[@]}" "${rw_arns[@]}") all_objects=("${obj_read[@]}" "${obj_rw[@]}")
  local IFS=,
  statements+=("{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetBucketLocation\"],\"Resource\":[${all_buckets[*]}]}")
  statements+=("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[${all_objects[*]}]}")
  # Objects are write-once and nothing deletes them, so no s3:DeleteObject anywhere. PutObject also covers
  # overwrites (IAM cannot tell a new key from an existing one): ObjectStore.put refuses different bytes (its upload is create-only), and
  # object locking on the buckets is the operator's real defence (docs/DEPLOY.md). The multipart rights let the
  # minio client resume or abort a large upload; aborting drops unfinished parts, never a stored object.
  statements+=("{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucketMultipartUploads\"],\"Resource\":[${rw_arns[*]}]}")
  statements+=("{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],\"Resource\":[${obj_rw[*]}]}")
  printf '{"Version":"2012-10-17","Statement":[%s]}\n' "${statements[*]}"
}

# What provisioning was done for: prefix, buckets and the exact policies, so a policy change reprovisions.
minio_wanted() {
  local svc
  {
    printf '%s|%s\n' "$BUCKET_PREFIX" "${MINIO_BUCKETS[*]}"
    for svc in "${SERVICES[@]}"; do minio_policy_json "$svc"; done
  } | sha256sum | cut -c1-16
}

minio_provision() {
  local b svc user policy_file out
  mkdir -p "$STATE/mc" "$CONF_DIR/minio-policies"
  chmod 700 "$STATE/mc"
  for b in "${MINIO_BUCKETS[@]}"; do
    mc_root mb --ignore-existing "flowsentry/$(minio_bucket "$b")" >>"$LOG_DIR/minio-admin.log" 2>&1 ||
      die "creating MinIO bucket $(minio_bucket "$b") failed — see $LOG_DIR/minio-admin.log"
  done
  for svc in "${SERVICES[@]}"; do
    user="$(minio_user "$svc")"
    policy_file="$CONF_DIR/minio-policies/$svc.json"
    minio_policy_json "$svc" >"$policy_file"
    mc_root admin policy create flowsentry "$user" "$policy_file" >>"$LOG_DIR/minio-admin.log" 2>&1 ||
      die "creating MinIO policy $user failed — see $LOG_DIR/minio-admin.log"
    # mc takes the secret only as an argument: it is visible to local root for this one call and never logged.
    mc_root admin user add flowsentry "$user" "$(minio_user_secret "$svc")" >>"$LOG_DIR/minio-admin.log" 2>&1 ||
      die "creating MinIO user $user failed — see $LOG_DIR/minio-admin.log"
    if ! out="$(mc_root admin policy attach flowsentry "$user" --user "$user" 2>&1)"; then
      grep -qi 'already' <<<"$out" || die "attaching MinIO policy to $user failed: $(head -n 1 <<<"$out")"
    fi
  done
  write_stamp minio-provisioned "$(minio_wanted)"
  log "minio: buckets and per-service users ready${BUCKET_PREFIX:+ (bucket prefix $BUCKET_PREFIX-)}"
}

minio_up() {
  local pid
  if pid="$(running_pid minio)"; then
    wait_ready minio "MinIO (pid $pid)" 90 minio_live
    if stamp_matches minio-provisioned "$(minio_wanted)"; then
      log "minio: already running (pid $pid)"
      return 0
    fi
    ensure_go
    minio_provision
    return 0
  fi
  minio_install
  ensure_ports_free MinIO "$MINIO_PORT" "$MINIO_CONSOLE_PORT"
  mkdir -p "$MINIO_DATA"
  minio_root_user >/dev/null
  minio_root_password >/dev/null
  log "minio: starting on 127.0.0.1:$MINIO_PORT (console 127.0.0.1:$MINIO_CONSOLE_PORT)"
  # Credentials reach the server through its environment; the files stay mode 600 in the state dir.
  MINIO_ROOT_USER="$(minio_root_user)" MINIO_ROOT_PASSWORD="$(minio_root_password)" MINIO_UPDATE=off MINIO_BROWSER=on \
    start_daemon minio "$LOG_DIR/minio.log" "$BIN_DIR/minio" server "$MINIO_DATA" \
    --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$MINIO_CONSOLE_PORT"
  wait_ready minio "MinIO" 90 minio_live
  log "minio: up (pid $(running_pid minio))"
  minio_provision
}

minio_down() { stop_daemon minio minio TERM; }

minio_status() { status_line minio minio "$MINIO_PORT,$MINIO_CONSOLE_PORT" minio_live; }
