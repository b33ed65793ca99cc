#!/usr/bin/env bash
# Fault drill (d): kill -9 PostgreSQL (the postmaster and every backend) during 1,000 writes
# with many in flight, restart it (crash recovery), and count acknowledged writes lost and rows
# without an audit entry (goal 0 each). Runs ONLY against a throwaway cluster it creates on
# port 5433 (scripts/fault-pg-cluster.sh), never the machine's own PostgreSQL.
#   scripts/fault-kill-postgres.sh [rounds] [writes] [more options of scripts/fault-writes.ts, e.g. --port 3296]
# FAULT_PG_PORT and FAULT_PG_DIR choose another throwaway cluster (scripts/fault-pg-cluster.sh).
# Its last line is `RESULT {json}` (scripts/fault-writes.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
WRITES=${2:-1000}
BASE=${FAULT_PG_DIR:-/tmp/hsb-fault-pg}
trap 'scripts/fault-pg-cluster.sh destroy' EXIT
scripts/fault-pg-cluster.sh destroy
scripts/fault-pg-cluster.sh create
npx tsx scripts/fault-writes.ts --kill postgres --recreate \
  --database-url "postgres://postgres@127.0.0.1:${FAULT_PG_PORT:-5433}/hsb_fault_pg" \
  --pg-pid-file "$BASE/data/postmaster.pid" --pg-restart "scripts/fault-pg-cluster.sh restart" \
  --rounds "$ROUNDS" --writes "$WRITES" --port 3296 "${@:3}"
