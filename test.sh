#!/usr/bin/env bash
# Runs the whole test suite (every module, SQLite and embedded PostgreSQL) with a JDK >= 21, then the crash
# campaign's short version on both stores (TALLY_CRASH_CAMPAIGN=0 skips it; TALLY_CRASH_WITNESS_GAPS=warn
# only counts checkpoints a crash left out of the witness file instead of failing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
cd "$ROOT"
"$ROOT/scripts/install/node-tools.sh"
"$ROOT/scripts/openapi-lint.sh"
"$ROOT/scripts/install/go.sh"
"$ROOT/scripts/install/postgres15.sh"  # a real streaming standby (StreamingStandby) for the read-replica tests
"$ROOT/scripts/install/chromium.sh"  # the console's browser tests (ConsoleBrowserTest) drive Debian's headless Chromium
mvn -B -ntp verify "$@"
# The TypeScript client against a real tally serve (the CLI jar mvn just built).
(cd "$ROOT/clients/typescript" && npm test)
if [ "${TALLY_CRASH_CAMPAIGN:-1}" != 0 ]; then
  "$ROOT/scripts/crash-campaign" --store both --cycles 2 --witness-gaps "${TALLY_CRASH_WITNESS_GAPS:-fail}"
fi
