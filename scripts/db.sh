#!/usr/bin/env bash
# Project-local PostgreSQL + PostGIS cluster for development and tests.
#   scripts/db.sh start   create (first time) and start the cluster, create the database
#   scripts/db.sh stop    stop it
#   scripts/db.sh url     print the DATABASE_URL that points at it
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` OS user.
# It listens on 127.0.0.1 only, with no Unix socket: PostgreSQL refuses a socket path over
# 107 bytes, and a socket under var/ would put the checkout's folder (any length) in it.
# Skipped entirely when DATABASE_URL is set: then that database is used as it is.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PGPORT="${GRIDMAP_PGPORT:-54329}"
DBNAME="${GRIDMAP_DBNAME:-gridmap}"

log() { printf '  [db] %s\n' "$*"; }

# The cluster lives in var/ of the checkout, unless the `postgres` user cannot reach that
# folder (a checkout under a private home, say): then in a per-checkout folder under /var/tmp.
pick_root() {
  local root="$here/var/pg"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$here" 2>/dev/null; then
    root="/var/tmp/gridmap-$(printf '%s' "$here" | md5sum | cut -c1-10)/pg"
  fi
  printf '%s' "$root"
}
ROOT="$(pick_root)"
DATA="$ROOT/data"
LOGFILE="$ROOT/server.log"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

owner_dirs() {
  if [ "$(id -u)" = 0 ]; then
    install -d -o postgres -g postgres "$ROOT"
  else
    mkdir -p "$ROOT"
  fi
}

running() { as_pg "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

psql_su() { as_pg psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# TCP only. A cluster made before this rule named a socket folder under var/: later lines
# of postgresql.conf win, so one more line turns the socket off there too.
tcp_only() {
  local conf="$DATA/postgresql.conf"
  if [ "$(grep -E '^\s*unix_socket_directories' "$conf" | tail -n 1)" != "unix_socket_directories = ''" ]; then
    echo "unix_socket_directories = ''" | as_pg tee -a "$conf" >/dev/null
  fi
}

cmd_start() {
  if [ -n "${DATABASE_URL:-}" ]; then log "DATABASE_URL is set: using that database"; return; fi
  owner_dirs
  if [ ! -s "$DATA/PG_VERSION" ]; then
    log "creating cluster in $DATA"
    as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DATA/postgresql.conf" <<CONF
# gridmap local cluster
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = ''
max_connections = 100
shared_buffers = 256MB
CONF
    if [ "${GRIDMAP_FAST_DB:-}" = 1 ]; then
      # Only for throwaway test clusters: faster, not crash-safe.
      printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$DATA/postgresql.conf"
    fi
  fi
  tcp_only
  if running; then
    log "cluster already running on port $PGPORT"
  else
    log "starting cluster on 127.0.0.1:$PGPORT"
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start >/dev/null
  fi
  if [ "$(psql_su -c "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != 1 ]; then
    log "creating database $DBNAME with PostGIS"
    psql_su -c "CREATE DATABASE $DBNAME"
  fi
  # PostGIS and btree_gist (exclusion constraints on bookings) are not "trusted" extensions:
  # create them as the superuser here, in the app database and in template1, so that test
  # databases (made from template1) and a non-superuser app role find them in place.
  for db in "$DBNAME" template1; do
    as_pg psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$db" -qAt -v ON_ERROR_STOP=1 \
      -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS postgis" \
      -c "CREATE EXTENSION IF NOT EXISTS btree_gist" >/dev/null
  done
}

cmd_stop() {
  if [ -n "${DATABASE_URL:-}" ]; then log "DATABASE_URL is set: nothing to stop"; return; fi
  if [ -d "$DATA" ] && running; then
    log "stopping cluster"
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  else
    log "cluster not running"
  fi
}

cmd_url() {
  if [ -n "${DATABASE_URL:-}" ]; then printf '%s\n' "$DATABASE_URL"; return; fi
  printf 'postgis://postgres@127.0.0.1:%s/%s\n' "$PGPORT" "$DBNAME"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
