#!/usr/bin/env bash
# The load test of `cxray serve` (issue 10): autocannon on loopback over the
# read endpoints of a simulated workspace, then the same readers during a
# re-import. See scripts/load.ts for what it checks and writes.
#
#   scripts/load.sh --customers 100k --connections 10 --duration 10   # the CI size (CI itself runs 20k: test/e2e/load.test.ts)
#   scripts/load.sh --customers 1m --connections 50 --duration 60     # the full run
#
# Writes bench/load-<customers>.json and the "## Load" section of bench/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx scripts/load.ts "$@"
