#!/usr/bin/env bash
# Runs the whole test suite (every module, SQLite and embedded PostgreSQL) with a JDK >= 21.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
cd "$ROOT"
exec mvn -B -ntp verify "$@"
