# What the demo walkthroughs share: the API, dev tokens, calls that stop the script on a refusal,
# submitting with the commitment in force, and a scan for every missing document.
#   source "$(dirname "$0")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/debian-packages.sh"
command -v jq >/dev/null || ensure_debian_packages jq
API=${API:-http://127.0.0.1:7071}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
curl -fsS -o /dev/null "$API/api/health" 2>/dev/null || { echo "✗ no API at $API: start ./run.sh first (or set API=…)" >&2; exit 1; }

token() { curl -fsS -X POST "$API/api/dev/tokens" -H 'content-type: application/json' -d "$1" | jq -r .token; }
enc() { jq -rn --arg s "$1" '$s|@uri'; }
# call METHOD PATH TOKEN [JSON] → the body; stops on a status other than 2xx
call() {
  local method=$1 path=$2 bearer=$3 body=${4:-}
  local args=(-s -o "$work/out" -w '%{http_code}' -X "$method" "$API$path" -H "authorization: Bearer $bearer")
  [ -n "$body" ] && args+=(-H 'content-type: application/json' -d "$body")
  local status; status=$(curl "${args[@]}")
  if [[ $status != 2* ]]; then echo "✗ $method $path → $status: $(cat "$work/out")" >&2; exit 1; fi
  cat "$work/out"
}
expect() { [ "$1" == "$2" ] || { echo "✗ expected $2, got $1" >&2; exit 1; }; echo "  ✓ $3: $1"; }
# submit ID TOKEN: accepts the commitment in force of the application's kind (what a portal shows before the button) and submits.
# (With Registry__RequirePhoneVerification=true the notification phone needs a confirmed SMS code first: see README.)
submit() {
  local kind; kind=$(call GET "/api/applications/$1" "$2" | jq -r .kind)
  call POST "/api/applications/$1/submit" "$2" "$(call GET "/api/commitments/$kind" "$2" | jq -c '{commitmentVersion: .version}')"
}
echo iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII= | base64 -d > "$work/scan.png"
# attach ID TOKEN: uploads a scan for every document type the application still misses
attach() {
  for type in $(call GET "/api/applications/$1/documents" "$2" | jq -r '.missingDocumentTypes[]'); do
    curl -fsS -o /dev/null -X POST "$API/api/applications/$1/documents" -H "authorization: Bearer $2" -F "type=$type" -F "file=@$work/scan.png;type=image/png"
  done
}

