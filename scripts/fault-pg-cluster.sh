#!/usr/bin/env bash
# A THROWAWAY PostgreSQL 15 cluster for the fault drills (kill -9, SIGSTOP), separate from the
# machine's own: its own data folder, port 5433, its own socket folder. Never point the drills
# at a cluster other people use.
#   scripts/fault-pg-cluster.sh create|start|stop|restart|destroy|pid
# FAULT_PG_DIR (a folder named hsb-fault-*, default /tmp/hsb-fault-pg) and FAULT_PG_PORT (not
# 5432, default 5433) choose another one, so two drills can each have their own.
set -euo pipefail
BASE=${FAULT_PG_DIR:-/tmp/hsb-fault-pg}
PORT=${FAULT_PG_PORT:-5433}
# destroy removes $BASE: only a folder of ours, and never the machine's own cluster's port.
case "$(basename "$BASE")" in hsb-fault-*) ;; *) echo "FAULT_PG_DIR must be a folder named hsb-fault-*: $BASE" >&2; exit 2;; esac
if [ "$PORT" = 5432 ]; then echo "port 5432 is the machine's own PostgreSQL: use another (FAULT_PG_PORT)" >&2; exit 2; fi
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DATA="$BASE/data"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start() {
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w -t 60 \
    -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c cluster_name=hsb_fault_$PORT -c fsync=on -c synchronous_commit=on" start >/dev/null
}
# The pid of this cluster's running postmaster (from its pid file, checked against /proc), or nothing.
postmaster() {
  local pid
  pid=$(head -1 "$DATA/postmaster.pid" 2>/dev/null) || return 0
  if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $DATA"; then echo "$pid"; fi
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
    # The postmaster may be paused (SIGSTOP drill): let it and its children run, or the immediate
    # stop waits for nothing; then stop it, and if it is still there, kill it and its children.
    PM=$(postmaster)
    if [ -n "$PM" ]; then kill -CONT "$PM" $(ps -o pid= --ppid "$PM") 2>/dev/null || true; fi
    as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    if [ -n "$PM" ] && [ -n "$(postmaster)" ]; then kill -KILL "$PM" $(ps -o pid= --ppid "$PM") 2>/dev/null || true; fi
    rm -rf "$BASE";;
  pid) head -1 "$DATA/postmaster.pid";;
  *) echo "usage: $0 create|start|stop|restart|destroy|pid" >&2; exit 2;;
esac
