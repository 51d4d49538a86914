#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL server on loopback for the test suite.
# Prints the connection URL on stdout. Needs Debian's postgresql package (.ci/run installs it).
# Usage: scripts/pg-test-server.sh [start|stop|restart]   (PGPORT env overrides 54329)
set -euo pipefail
action="${1:-start}"
port="${PGPORT:-54329}"
dir="${FATHOM_PG_DIR:-/tmp/fathom-pg-$port}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ]; then
  echo "pg-test-server: PostgreSQL server binaries not found; install with: apt-get install -y postgresql" >&2
  exit 1
fi
run_as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
url="postgres://postgres@127.0.0.1:$port/postgres"
case "$action" in
  stop)
    [ -f "$dir/postmaster.pid" ] && run_as_pg "$bindir/pg_ctl -D $dir -m fast -w stop" >&2 || true
    exit 0 ;;
  restart)
    run_as_pg "$bindir/pg_ctl -D $dir -m fast -w restart" >&2
    echo "$url"; exit 0 ;;
esac
if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  run_as_pg "$bindir/initdb -D $dir -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
fi
if ! run_as_pg "$bindir/pg_ctl -D $dir status" >/dev/null 2>&1; then
  run_as_pg "$bindir/pg_ctl -D $dir -l $dir/server.log -w -o '-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c max_connections=200' start" >&2
fi
echo "$url"
