#!/bin/sh
# One-shot (compose service minio-init, minio/mc image): buckets per layer, and one MinIO user per
# service whose policy reads its inputs and writes only its own layer (same matrix as tools/stack).
set -eu

SECRETS="${FLOWSENTRY_SECRETS:-/run/secrets}"
PREFIX="${FLOWSENTRY_BUCKET_PREFIX:-}"
SERVICES="ingest transform trainer evaluator monitor"

bucket() { if [ -n "$PREFIX" ]; then printf '%s-%s' "$PREFIX" "$1"; else printf '%s' "$1"; fi; }
reads() {
  case $1 in
    transform) echo raw ;;
    trainer) echo silver ;;
    evaluator) echo silver models ;;
    monitor) echo silver models eval ;;
  esac
}
# Registry status lives in PostgreSQL, so the evaluator never writes `models`.
writes() {
  case $1 in
    ingest) echo raw ;;
    transform) echo silver ;;
    trainer) echo models ;;
    evaluator) echo eval ;;
    monitor) echo monitor ;;
  esac
}
arns() { # arns SUFFIX BUCKET... → "arn:aws:s3:::b1SUFFIX","arn:aws:s3:::b2SUFFIX"
  suffix=$1
  shift
  out=""
  for b in "$@"; do out="$out${out:+,}\"arn:aws:s3:::$(bucket "$b")$suffix\""; done
  printf '%s' "$out"
}
policy() {
  # shellcheck disable=SC2046 # word splitting of the bucket lists is intended
  all_b=$(arns "" $(reads "$1") $(writes "$1"))
  # shellcheck disable=SC2046
  all_o=$(arns "/*" $(reads "$1") $(writes "$1"))
  # shellcheck disable=SC2046
  rw_b=$(arns "" $(writes "$1"))
  # shellcheck disable=SC2046
  rw_o=$(arns "/*" $(writes "$1"))
  # No s3:DeleteObject: objects are write-once and nothing deletes them. PutObject still allows an overwrite
  # (IAM cannot tell a new key from an existing one); see docs/DEPLOY.md for object locking. The multipart
  # rights let the client resume or abort a large upload, which never touches a stored object.
  printf '{"Version":"2012-10-17","Statement":[%s,%s,%s,%s]}\n' \
    "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetBucketLocation\"],\"Resource\":[$all_b]}" \
    "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[$all_o]}" \
    "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucketMultipartUploads\"],\"Resource\":[$rw_b]}" \
    "{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],\"Resource\":[$rw_o]}"
}

# `init-minio.sh --policies` prints "<service> <policy JSON>" lines and touches nothing, so
# tools/checks/deploy.sh can check the policies offline.
if [ "${1:-}" = --policies ]; then
  for svc in $SERVICES; do printf '%s %s\n' "$svc" "$(policy "$svc")"; done
  exit 0
fi

# Root credentials travel in MC_HOST_* (never in mc's config file); the values are hex.
MC_HOST_flowsentry="http://$(cat "$SECRETS/minio_root_user"):$(cat "$SECRETS/minio_root_password")@${MINIO_HOST:-minio:9000}"
export MC_HOST_flowsentry
export MC_CONFIG_DIR=/tmp/mc

for layer in raw silver models eval monitor; do
  mc --no-color --quiet mb --ignore-existing "flowsentry/$(bucket "$layer")"
done
mkdir -p /tmp/policies
for svc in $SERVICES; do
  user="flowsentry-$svc"
  policy "$svc" >"/tmp/policies/$svc.json"
  mc --no-color --quiet admin policy create flowsentry "$user" "/tmp/policies/$svc.json"
  # mc takes the secret key only as an argument; this container lives for this one script.
  mc --no-color --quiet admin user add flowsentry "$user" "$(cat "$SECRETS/minio_$svc")"
  if ! out=$(mc --no-color --quiet admin policy attach flowsentry "$user" --user "$user" 2>&1); then
    case $out in *already*) ;; *) echo "minio-init: attaching policy $user failed: $out" >&2 && exit 1 ;; esac
  fi
done
echo "minio-init: buckets and per-service users ready${PREFIX:+ (bucket prefix $PREFIX-)}"
