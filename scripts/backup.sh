#!/usr/bin/env bash
# Backup and restore (see scripts/backup.ts): DATABASE_URL for PostgreSQL, DATA_DIR for embedded.
#   scripts/backup.sh backup <file> | restore <file> --into <URL|DIR> | drill [<file>]
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx tsx scripts/backup.ts "$@"
