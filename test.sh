#!/usr/bin/env bash
# Runs every test against a throw-away Azurite on free ports, stops what it started, then lints
# the committed OpenAPI document (Redocly, Spectral, a generated TypeScript client), type-checks the
# reference portal and runs its browser tests (scripts/portal-e2e.sh), and ends with the line
# "N passed, N failed" (each lint and check counts as one, each browser test as one).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/azurite.sh
source scripts/debian-packages.sh

work=$(mktemp -d)
cleanup() {
  [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

ensure_node_modules
ensure_debian_packages "${PDF_FONT_PACKAGES[@]}"  # the fonts the PDFs embed (the build copies them)
start_azurite "$(free_port)" "$(free_port)" "$(free_port)" --in-memory "$work/azurite.log"
export FUNCREGISTRY_TEST_STORAGE="$AZURITE_CONNECTION_STRING"

dotnet build FuncRegistry.sln -c Release --nologo -v quiet
status=0
dotnet test FuncRegistry.sln -c Release --no-build --nologo --logger "trx" --results-directory "$work/results" -- RunConfiguration.TreatNoTestsAsError=true || status=$?

passed=0; failed=0
for trx in "$work"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters"); f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The committed OpenAPI document (docs/openapi.json, kept equal to the served one by
# ApiDocumentTests): each check below counts as one test; any failure fails the run.
check() {
  local name=$1; shift
  if "$@" >"$work/check.log" 2>&1; then
    passed=$((passed + 1)); echo "Passed $name"
  else
    failed=$((failed + 1)); status=1; echo "Failed $name:"; cat "$work/check.log"
  fi
}
client_type_checks() {
  mkdir -p "$work/client"
  node_modules/.bin/openapi-typescript docs/openapi.json -o "$work/client/api.d.ts" &&
    cp tools/openapi-client/check.ts "$work/client/" &&
    node_modules/.bin/tsc --noEmit --strict --target es2022 --module es2022 --moduleResolution bundler "$work/client/api.d.ts" "$work/client/check.ts"
}
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_SUPPRESS_NOTIFICATIONS=true
check "OpenAPI: redocly lint (recommended)" node_modules/.bin/redocly lint docs/openapi.json --config redocly.yaml
check "OpenAPI: spectral lint (spectral:oas)" node_modules/.bin/spectral lint docs/openapi.json --ruleset .spectral.yaml --fail-severity error
check "OpenAPI: openapi-typescript client type-checks" client_type_checks
check "Docs: every relative link in README.md and docs/ resolves" python3 tools/check-doc-links.py

# The reference portal (portal/, docs/portal.md): its type-check against the client generated from
# docs/openapi.json counts as one test, each browser test (Playwright driving Debian's chromium
# against the development host on its own Azurite) as one more.
source scripts/portal.sh
portal_type_check() { ensure_portal_packages && (cd portal && npm run typecheck); }
check "Portal: client generated from docs/openapi.json type-checks (tsc --noEmit)" portal_type_check
browser_tests() {
  local report="$work/playwright.json" p f
  PORTAL_E2E_NO_BUILD=1 PLAYWRIGHT_JSON_OUTPUT_NAME="$report" scripts/portal-e2e.sh >"$work/browser.log" 2>&1 || status=1
  grep -E '^\s+(✓|✘|-) |passed|failed|Error' "$work/browser.log" | head -60 || true
  if [ -f "$report" ] && read -r p f < <(node -e 'const s=require(process.argv[1]).stats;console.log(s.expected, s.unexpected + s.flaky)' "$report"); then
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" -eq 0 ] || status=1
  else
    failed=$((failed + 1)); status=1; echo "Failed Portal: browser tests did not run:"; tail -60 "$work/browser.log"
  fi
}
browser_tests

echo "$passed passed, $failed failed"
exit "$status"
