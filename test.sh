#!/usr/bin/env bash
# Runs every test against a throw-away Azurite on free ports, stops what it started,
# and ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/azurite.sh

work=$(mktemp -d)
cleanup() {
  [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

ensure_node_modules
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
echo "$passed passed, $failed failed"
exit "$status"
