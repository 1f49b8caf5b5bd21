#!/usr/bin/env bash
# Lints tally-server's OpenAPI document with Redocly CLI (pinned in tools/openapi-lint): zero errors and zero
# warnings, except those tools/openapi-lint/redocly.yaml and .redocly.lint-ignore.yaml disable with a reason.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINT="$ROOT/tools/openapi-lint"
if [ ! -x "$LINT/node_modules/.bin/redocly" ]; then
  echo "openapi-lint.sh: Redocly CLI is missing; run scripts/install/node-tools.sh" >&2
  exit 1
fi
cd "$LINT"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  ./node_modules/.bin/redocly lint --config redocly.yaml --max-problems 200 \
  ../../tally-server/src/main/resources/dev/tally/server/openapi.yaml
