#!/usr/bin/env bash
# Fault drill (e): SIGSTOP PostgreSQL on a THROWAWAY cluster (port 5433), then SIGCONT.
#   scripts/fault-pause-postgres.sh [--port 3297] [--pause-seconds 12]
# FAULT_PG_PORT and FAULT_PG_DIR choose another throwaway cluster (scripts/fault-pg-cluster.sh).
# Its last line is `RESULT {json}` (scripts/fault-pause-postgres.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'scripts/fault-pg-cluster.sh destroy' EXIT
scripts/fault-pg-cluster.sh destroy
scripts/fault-pg-cluster.sh create
npx tsx scripts/fault-pause-postgres.ts "$@"
