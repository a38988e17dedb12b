#!/usr/bin/env bash
# Starts a local PostgreSQL for Herald's tests and prints the connection string as an export line.
# Idempotent: installs PostgreSQL with apt when it is absent, starts the cluster if stopped, and creates
# the `herald` role (allowed to create databases: each storage test class makes its own) and database.
# Everything it says goes to stderr except the final `export HERALD_TEST_POSTGRES=...` line.
set -euo pipefail

log() { echo "start-postgres: $*" >&2; }
as_postgres() { if command -v runuser >/dev/null; then runuser -u postgres -- "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  log "PostgreSQL is not installed; installing it with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi

if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting PostgreSQL $version"
  pg_ctlcluster "$version" main start >&2
fi

port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not become ready on port $port"; exit 1; }

as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<'SQL'
SET client_min_messages TO warning;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'herald') THEN
    CREATE ROLE herald LOGIN PASSWORD 'herald' CREATEDB;
  END IF;
END
$$;
-- Tests drop their databases WITH (FORCE). That ends every session in the database, and an autovacuum
-- worker belongs to no role, so only a member of pg_signal_backend may end it.
GRANT pg_signal_backend TO herald;
SQL
if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'herald'" | grep -q 1; then
  as_postgres createdb -p "$port" -O herald herald >&2
fi

log "PostgreSQL $version ready on 127.0.0.1:$port (role herald, database herald)"
echo "export HERALD_TEST_POSTGRES=\"Host=127.0.0.1;Port=$port;Username=herald;Password=herald;Database=herald\""
