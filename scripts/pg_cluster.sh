#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests, the drill and the benches.
#
#   eval "$(scripts/pg_cluster.sh start /tmp/somewhere)"   # sets PASSERELLE_TEST_DATABASE_URL
#   scripts/pg_cluster.sh stop /tmp/somewhere
#
# initdb into DIR (created if missing), the server on a free port of 127.0.0.1 with its unix
# socket in DIR, no durability (fsync off: the data is thrown away), C collation so that text
# sorts as SQLite sorts it. initdb refuses root: as root the cluster runs as the `postgres`
# user (Debian's package makes it), or a `passerelle-ci` user made here if there is none.
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg_cluster.sh start|stop DIR}
dir=${2:?usage: pg_cluster.sh start|stop DIR}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

PG_USER=$(id -un)
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then
    PG_USER=postgres
  else
    id passerelle-ci >/dev/null 2>&1 || useradd --system --no-create-home passerelle-ci
    PG_USER=passerelle-ci
  fi
fi

case "$cmd" in
  start)
    if [ ! -x "$BIN/initdb" ]; then
      echo "→ PostgreSQL 15 absent : installation (apt-get) / installing PostgreSQL 15" >&2
      apt-get update -qq >&2 && apt-get install -y -qq postgresql-15 >&2
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown "$PG_USER" "$dir"
    as_owner "$BIN/initdb" -D "$dir/data" -U passerelle --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
       -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB" >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export PASSERELLE_TEST_DATABASE_URL=postgresql://passerelle@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
