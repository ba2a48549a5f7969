#!/usr/bin/env bash
# `npm run openapi:lint`: Redocly CLI (recommended rules, warnings as errors: redocly.yaml) and
# Spectral (spectral:oas, failing on warnings: .spectral.yaml) on the committed document. Both run,
# so one report shows every finding.
set -uo pipefail
cd "$(dirname "$0")/.."
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
status=0
npx --no-install redocly lint openapi/v1.json || status=1
npx --no-install spectral lint --fail-severity=warn openapi/v1.json || status=1
if [ "$status" -ne 0 ]; then
  echo 'openapi:lint failed: fix the decorator or DTO in src/ behind each finding, run `npm run openapi` and commit openapi/v1.json' \
    '(or switch the rule off in redocly.yaml / .spectral.yaml with a one-line reason).' >&2
fi
exit "$status"
