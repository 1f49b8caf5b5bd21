#!/usr/bin/env bash
# Installs the Node packages the checks need, from the npm registry, exactly as their lockfiles pin them:
# Redocly CLI (the OpenAPI lint) and the TypeScript client's dependencies. Idempotent: a folder installed
# from the same lockfile before is left alone. Needs Node >= 20 with npm (apt-get install -y nodejs npm).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "scripts/install/node-tools.sh: npm is missing; install Node >= 20 with npm (apt-get install -y nodejs npm)" >&2
  exit 1
fi
for dir in tools/openapi-lint clients/typescript; do
  lock="$ROOT/$dir/package-lock.json"
  [ -f "$lock" ] || continue
  stamp="$ROOT/$dir/node_modules/.installed-from-lockfile"
  if [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then
    continue
  fi
  (cd "$ROOT/$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$lock" "$stamp"
done
