#!/usr/bin/env bash
# Starts Azurite (data in .azurite/, git-ignored) and the API on http://127.0.0.1:7071 with the
# demo register imported. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/azurite.sh
source scripts/debian-packages.sh
source scripts/portal.sh

API=http://127.0.0.1:7071
mkdir -p .azurite
# The API first, while Azurite still answers (it releases its Durable Task leases on the way out),
# then Azurite, which saves .azurite/ on the way out (about 40 s). Azurite runs in its own session
# (start_azurite), so Ctrl-C reaches only this script and the API.
stop() { # PID NAME SECONDS: asks it to stop, kills it after SECONDS
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 $(($3 * 5))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  echo "$2 did not stop in $3 s: killed"; kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  [ -n "${API_PID:-}" ] && echo "Stopping the API…" && stop "$API_PID" "The API" 20
  [ -n "${AZURITE_PID:-}" ] && echo "Stopping Azurite (it saves .azurite/ first, up to a minute)…" && stop "$AZURITE_PID" Azurite 120
  true
}
trap cleanup EXIT INT TERM

ensure_node_modules
ensure_debian_packages "${PDF_FONT_PACKAGES[@]}"  # the fonts the PDFs embed (the build copies them)
ensure_portal_built # the reference portal at $API/portal/ (docs/portal.md): built when missing or outdated
echo "Starting Azurite on 127.0.0.1:10000-10002 (data in .azurite/)…"
start_azurite 10000 10001 10002 .azurite .azurite/azurite.log

# The development host runs the Functions app's functions without Core Tools (docs/adr/0014).
echo "Building the API…"
dotnet build src/DevHost -c Debug --nologo -v quiet
# The built host itself (not `dotnet run`), so that $API_PID is the process to stop.
ASPNETCORE_ENVIRONMENT=Development Storage__ConnectionString="$AZURITE_CONNECTION_STRING" \
  src/DevHost/bin/Debug/net10.0/FuncRegistry.DevHost --urls "$API" &
API_PID=$!
for _ in $(seq 1 150); do
  curl -fs "$API/api/health" >/dev/null 2>&1 && break
  kill -0 "$API_PID" 2>/dev/null || { echo "The API failed to start"; exit 1; }
  sleep 0.2
done

admin=$(curl -fs -X POST "$API/api/dev/tokens" -H 'content-type: application/json' \
  -d '{"role":"admin","subject":"admin-1","name":"管理员"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
echo "Importing the demo register (demo/register.csv)…"
curl -fs -X POST "$API/api/admin/certificates/import" -H "authorization: Bearer $admin" -H 'content-type: text/csv' \
  --data-binary @demo/register.csv | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);
    console.log(`imported ${r.imported}, unchanged ${r.unchanged}, rejected ${r.rejected.length}`);
    for (const x of r.rejected.slice(0,5)) console.log(`  line ${x.line}: ${x.error}`);})'
echo
cat <<MSG

FuncRegistry is running on $API  (Ctrl-C stops it and Azurite)
  Portal (browser):   $API/portal/   (sign in as a demo person, city or the province: docs/portal.md)
  API docs (browse):  $API/api/docs
  OpenAPI document:   $API/openapi/v1.json
  Get a token:        curl -s -X POST $API/api/dev/tokens -H 'content-type: application/json' \\
                        -d '{"role":"applicant","subject":"620101198001157469","name":"王磊"}'
  Walk-through:       ./demo/walkthrough.sh (curl, step by step), or in the portal: README.md
MSG
wait "$API_PID"
