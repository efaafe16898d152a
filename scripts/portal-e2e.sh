#!/usr/bin/env bash
# The portal's browser tests (portal/tests, Playwright driving Debian's chromium) against the
# development host on a throw-away Azurite, both on free ports; stops what it started.
#   scripts/portal-e2e.sh                       # builds what is missing, runs every browser test
#   PORTAL_SCREENSHOTS_DIR=docs/images scripts/portal-e2e.sh   # also refreshes the screenshots in docs/
# ./test.sh runs it with PORTAL_E2E_NO_BUILD=1 (it has built the solution) and reads the JSON report
# (PLAYWRIGHT_JSON_OUTPUT_NAME) to count the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/azurite.sh
source scripts/portal.sh

work=$(mktemp -d)
cleanup() {
  [ -n "${HOST_PID:-}" ] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null
  [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null
  rm -rf "$work"
  true
}
trap cleanup EXIT

ensure_node_modules
ensure_portal_built
ensure_chromium
[ -n "${PORTAL_E2E_NO_BUILD:-}" ] || dotnet build src/DevHost -c Release --nologo -v quiet
start_azurite "$(free_port)" "$(free_port)" "$(free_port)" --in-memory "$work/azurite.log"

port=$(free_port)
url="http://127.0.0.1:$port"
# Run from the repository root: the host finds portal/dist above its content root (the current folder).
# The Durable queues are polled often so that a decision's effects (the SMS) follow at once.
ASPNETCORE_ENVIRONMENT=Development Storage__ConnectionString="$AZURITE_CONNECTION_STRING" \
  DevHost__MaxQueuePollingInterval=00:00:00.200 \
  dotnet src/DevHost/bin/Release/net10.0/FuncRegistry.DevHost.dll --urls "$url" >"$work/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 1 300); do
  curl -fs "$url/api/health" >/dev/null 2>&1 && break
  kill -0 "$HOST_PID" 2>/dev/null || { echo "The development host failed to start:"; cat "$work/host.log"; exit 1; }
  sleep 0.2
done

status=0
(cd portal && PORTAL_URL="$url/portal/" REGISTER_CSV="$PWD/../demo/register.csv" node_modules/.bin/playwright test "$@") || status=$?
[ "$status" -eq 0 ] || { echo "--- development host log (last 40 lines)"; tail -40 "$work/host.log"; }
exit "$status"
