#!/usr/bin/env bash
# A THROWAWAY PostgreSQL 15 cluster for the fault drills (kill -9, SIGSTOP), separate from the
# machine's own: its own data folder, port 5433, its own socket folder. Never point the drills
# at a cluster other people use.
#   scripts/fault-pg-cluster.sh create|start|stop|restart|destroy|pid
set -euo pipefail
BASE=${FAULT_PG_DIR:-/tmp/hsb-fault-pg}
PORT=${FAULT_PG_PORT:-5433}
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DATA="$BASE/data"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start() {
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w -t 60 \
    -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c cluster_name=hsb_fault -c fsync=on -c synchronous_commit=on" start >/dev/null
}
case "${1:-}" in
  create)
    if [ -d "$DATA" ]; then echo "cluster already at $DATA" >&2; exit 1; fi
    mkdir -p "$BASE"; chown postgres "$BASE" 2>/dev/null || true
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust >/dev/null
    start
    echo "throwaway cluster on 127.0.0.1:$PORT ($DATA)";;
  start) start;;
  stop) as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null;;
  restart)
    # After a kill -9 the postmaster.pid is stale: pg_ctl start runs crash recovery from the WAL.
    # Backends of the dead postmaster may take a moment to go: retry for up to 30 s.
    for i in $(seq 1 30); do start 2>/dev/null && exit 0; sleep 1; done
    start;;
  destroy)
    as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$BASE";;
  pid) head -1 "$DATA/postmaster.pid";;
  *) echo "usage: $0 create|start|stop|restart|destroy|pid" >&2; exit 2;;
esac
