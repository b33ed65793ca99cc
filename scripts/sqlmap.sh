#!/usr/bin/env bash
# sqlmap (Debian package: apt-get install -y sqlmap) against a running local instance with a
# signed-in session: GET routes with query strings and POST forms. Reports the number of
# injectable parameters (goal 0). Uses the benchmark database (bench/pages.ts creates it).
#   scripts/sqlmap.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlmap >/dev/null || { echo "sqlmap is not installed: apt-get install -y sqlmap" >&2; exit 2; }
exec npx tsx scripts/sqlmap.ts "$@"
