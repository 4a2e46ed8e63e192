#!/bin/sh
# One-shot (compose service postgres-init, postgres image): the database, the schema owner and one login
# role per service, the same as tools/stack. Grants come later, from the migrations the owner runs.
set -eu

SECRETS="${FLOWSENTRY_SECRETS:-/run/secrets}"
DB="${PGDATABASE_APP:-flowsentry}"
ROLES="owner ingest transform trainer evaluator monitor cli"
PGPASSWORD="$(cat "$SECRETS/pg_superuser")"
export PGPASSWORD

sql=""
for r in $ROLES; do
  role="flowsentry_$r"
  # Passwords are hex (tools/compose/make-secrets.sh) and reach psql on stdin, never in argv.
  sql="$sql
SELECT 'CREATE ROLE $role LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') \\gexec
ALTER ROLE $role LOGIN PASSWORD '$(cat "$SECRETS/pg_$r")';"
done
sql="$sql
SELECT 'CREATE DATABASE $DB OWNER flowsentry_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB') \\gexec
REVOKE ALL ON DATABASE $DB FROM PUBLIC;"
for r in $ROLES; do sql="$sql
GRANT CONNECT ON DATABASE $DB TO flowsentry_$r;"; done

printf '%s\n' "$sql" | psql -X -q -v ON_ERROR_STOP=1 -d postgres
# Migrations run as the owner, so the owner must own the schema they fill.
printf '%s\n' "ALTER SCHEMA public OWNER TO flowsentry_owner; REVOKE CREATE ON SCHEMA public FROM PUBLIC;" |
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB"
echo "postgres-init: database $DB and roles ready"
