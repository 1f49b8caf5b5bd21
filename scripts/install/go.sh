#!/usr/bin/env bash
# Installs Go and the Go project's golang.org/x/mod (sumdb/tlog, sumdb/note) from Debian, for the interop test
# that checks Tally's tiles, checkpoints, proofs and receipts with code no one on Tally wrote
# (TlogInteropTest). Idempotent: a no-op when both are present. Builds happen offline in GOPATH mode from
# /usr/share/gocode.
set -euo pipefail
if command -v go >/dev/null 2>&1 && [ -d /usr/share/gocode/src/golang.org/x/mod/sumdb/tlog ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq golang-go golang-golang-x-mod-dev >/dev/null
