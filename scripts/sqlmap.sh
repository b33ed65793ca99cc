#!/usr/bin/env bash
# sqlmap (Debian package) against a running local instance with a signed-in session for every
# route family that takes query-string or form input reaching SQL. Goal: 0 injectable parameters.
# Creates and seeds its own database (hsb_bench_sqlmap: bench seed + demo partnership) when missing.
#   scripts/sqlmap.sh --quick      CI: level 2, risk 1, boolean-based, 19 targets (about 4 minutes)
#   scripts/sqlmap.sh              full: level 3, risk 2, every technique, 33 targets (about 25 minutes)
#   other options: --database-url, --children N, --port P (3380), --jobs N, --only TEXT, --recreate, --check
# Under CI (CI=true, as root) a missing sqlmap is installed with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v sqlmap >/dev/null; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing sqlmap (apt-get install -y sqlmap)"
    mkdir -p .tmp
    (apt-get update && apt-get install -y --no-install-recommends sqlmap) > .tmp/apt-sqlmap.log 2>&1 || { tail -20 .tmp/apt-sqlmap.log; echo "sqlmap install failed" >&2; exit 2; }
  else
    echo "sqlmap is not installed: apt-get install -y sqlmap" >&2
    exit 2
  fi
fi
exec npx tsx scripts/sqlmap.ts "$@"
