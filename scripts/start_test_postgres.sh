#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the store tests and print its URL.
#
#   eval "$(scripts/start_test_postgres.sh)"   # exports GKA_DASH_TEST_POSTGRES_URL
#   scripts/start_test_postgres.sh stop        # stops it and removes the data directory
#
# Uses Debian's PostgreSQL binaries (/usr/lib/postgresql/<version>/bin); runs the server as the
# 'postgres' user when started as root (initdb refuses root). Trust auth on loopback only.
# Settings: GKA_PG_PORT (default 54329), GKA_PG_DIR (default /tmp/gka_dash_pg), GKA_PG_BIN.
set -euo pipefail

PORT="${GKA_PG_PORT:-54329}"
DATA_DIR="${GKA_PG_DIR:-/tmp/gka_dash_pg}"
BIN="${GKA_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
DB="gka_dash_test"

if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-start}" = "stop" ]; then
  if [ -f "$DATA_DIR/postmaster.pid" ]; then
    as_owner "$BIN/pg_ctl" -D "$DATA_DIR" -m fast stop >&2 || true
  fi
  rm -rf "$DATA_DIR"
  exit 0
fi

if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$DATA_DIR"; fi
  as_owner "$BIN/initdb" -D "$DATA_DIR" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA_DIR -c fsync=off -c max_connections=100" start >&2
fi

if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
fi

echo "export GKA_DASH_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
