#!/usr/bin/env bash
# Serve gridmap: the one serve command. `make run` runs it, and tests/resilience/test_soak.py
# starts it exactly like this (on a port and a database of its own) to prove it stays up.
#
#   HOST=127.0.0.1 PORT=8000 scripts/serve.sh          serve (the Makefile passes HOST/PORT)
#   scripts/serve.sh --print                           print the command and exit
#
# Why gunicorn and not `manage.py runserver`: runserver starts a new thread for every
# connection, and with persistent database connections (CONN_MAX_AGE in settings) every
# thread that ends leaves its connection open; after ~1,700 requests PostgreSQL said "too
# many clients" and every page answered 503. gunicorn's gthread worker keeps a fixed pool of
# threads, each reusing its one connection, so the server holds at most
# GRIDMAP_WEB_WORKERS x GRIDMAP_WEB_THREADS connections however long it runs, and a page
# does not wait for a new connection. Static files are served by WhiteNoise, as in production.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WORKERS="${GRIDMAP_WEB_WORKERS:-2}"
THREADS="${GRIDMAP_WEB_THREADS:-4}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-gridmap.settings.local}"

command=(
  .venv/bin/gunicorn gridmap.wsgi:application
  --bind "$HOST:$PORT"
  --worker-class gthread --workers "$WORKERS" --threads "$THREADS"
  # A slow export must not get its worker killed; a stopped server stops within 5 s.
  --timeout 120 --graceful-timeout 5
  # gunicorn 27's control socket is one path per user: two servers on one machine (make run
  # and the soak test) would fight over it, and nothing here uses it.
  --no-control-socket
  --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
)
# Code changes restart the workers, like runserver (it polls files: costs some CPU).
if [ "${GRIDMAP_SERVE_RELOAD:-0}" = 1 ]; then
  command+=(--reload)
fi

echo "==> serving with gunicorn: $WORKERS workers x $THREADS threads, $DJANGO_SETTINGS_MODULE"
echo "    ${command[*]}"
if [ "${1:-}" = "--print" ]; then
  exit 0
fi
exec "${command[@]}"
