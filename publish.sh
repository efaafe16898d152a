#!/usr/bin/env bash
# Builds exactly what gets deployed: the isolated worker's publish output at the root of a zip:
# host.json, functions.metadata (every function and its bindings), worker.config.json (how the
# host starts the worker), extensions.json and .azurefunctions/ (the host's binding extensions).
# Usage: ./publish.sh [output.zip]   (default artifacts/functions.zip)
# The worker is framework-dependent and ReadyToRun-compiled for linux-x64; docs/performance.md says why R2R.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-artifacts/functions.zip}
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

# The fonts the PDFs embed come from Debian packages; the build copies them (with their licences) into fonts/.
source scripts/debian-packages.sh
ensure_debian_packages "${PDF_FONT_PACKAGES[@]}"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

dotnet publish src/Functions/Functions.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$stage/package" --nologo -v quiet

# What the Functions host reads must have come with the publish output (the Worker SDK writes it).
for f in host.json functions.metadata worker.config.json extensions.json; do
  [ -f "$stage/package/$f" ] || { echo "publish.sh: $f is missing from the package" >&2; exit 1; }
done
[ -d "$stage/package/.azurefunctions" ] || { echo "publish.sh: .azurefunctions/ is missing from the package" >&2; exit 1; }
for f in DroidSansFallbackFull.ttf DroidSansFallbackFull.copyright LiberationSans-Regular.ttf LiberationSans-Bold.ttf LiberationSans.copyright; do
  [ -f "$stage/package/fonts/$f" ] || { echo "publish.sh: fonts/$f is missing from the package" >&2; exit 1; }
done
# Never ship a local settings file (it may hold secrets) nor Development settings.
rm -f "$stage/package/local.settings.json" "$stage/package/appsettings.Development.json"

rm -f "$out"
if command -v zip >/dev/null; then
  (cd "$stage/package" && zip -qrX "$out" .)
else
  python3 -c 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])' "$out" "$stage/package"
fi
echo "Wrote $out ($(du -h "$out" | cut -f1), $(grep -c '"scriptFile"' "$stage/package/functions.metadata") functions)"
