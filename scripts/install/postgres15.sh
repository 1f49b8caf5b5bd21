#!/usr/bin/env bash
# Installs Debian's PostgreSQL 15 server binaries (initdb, pg_ctl, pg_basebackup, postgres), for the tests
# that run a real streaming hot standby (StreamingStandby in tally-store's test-jar) and for the crash
# campaign. Idempotent: a no-op when pg_basebackup is already there.
set -euo pipefail
if [ -x /usr/lib/postgresql/15/bin/pg_basebackup ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15 >/dev/null \
  || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15 >/dev/null; }
