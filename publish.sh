#!/usr/bin/env bash
# Builds exactly what gets deployed: a zip with host.json, one folder per function
# (<Name>/function.json) and the published custom handler, all at the root of the zip.
# Usage: ./publish.sh [output.zip]   (default artifacts/functions.zip)
# The handler is framework-dependent and ReadyToRun-compiled for linux-x64: the Functions host
# starts it as `dotnet FuncRegistry.Functions.dll` (host.json); docs/performance.md says why R2R.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-artifacts/functions.zip}
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

dotnet publish src/Functions/Functions.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$stage/package" --nologo -v quiet

# host.json and every function folder come with the publish output (Functions.csproj copies
# host.json and */function.json); make sure none was lost on the way.
[ -f "$stage/package/host.json" ] || { echo "publish.sh: host.json is missing from the package" >&2; exit 1; }
for fn in src/Functions/*/function.json; do
  name=$(basename "$(dirname "$fn")")
  cmp -s "$fn" "$stage/package/$name/function.json" || { echo "publish.sh: $name/function.json is missing or stale in the package" >&2; exit 1; }
done
# Never ship a local settings file (it may hold secrets).
rm -f "$stage/package/local.settings.json"

rm -f "$out"
if command -v zip >/dev/null; then
  (cd "$stage/package" && zip -qrX "$out" .)
else
  python3 -c 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])' "$out" "$stage/package"
fi
echo "Wrote $out ($(du -h "$out" | cut -f1), functions: $(cd src/Functions && ls -d */function.json | sed 's#/function.json##' | tr '\n' ' '))"
