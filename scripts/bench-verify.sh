#!/usr/bin/env bash
# Times chain verification (full and incremental) and reconciliation on a big ledger; see
# tally-ledger/src/test/java/dev/tally/store/bench/VerifyBenchmark.java and docs/BENCHMARKS.md.
# Usage: scripts/bench-verify.sh [--store sqlite|postgres] [--entries 1000000] [--runs 5] [--threads N] [--db LOCATION]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
cd "$ROOT"
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
# One reactor run: the classpath then names the modules' target/classes, not older installed jars.
mvn -B -q -pl tally-ledger -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="tally-ledger/target/test-classes:tally-ledger/target/classes:$(cat "$CP_FILE")"
exec "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$CP" dev.tally.store.bench.VerifyBenchmark "$@"
