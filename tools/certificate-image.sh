#!/usr/bin/env bash
# Draws docs/images/certificate.png, the picture of an electronic certificate in the docs: the PDF of
# ElectronicCertificateTests' name change (synthetic data), page 1 at 100 dpi, by pdftoppm (Debian's
# poppler-utils, installed when missing). Runs that one test against a throw-away Azurite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/debian-packages.sh
source scripts/azurite.sh
ensure_debian_packages poppler-utils "${PDF_FONT_PACKAGES[@]}"
work=$(mktemp -d)
cleanup() {
  [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ensure_node_modules
start_azurite "$(free_port)" "$(free_port)" "$(free_port)" --in-memory "$work/azurite.log"
FUNCREGISTRY_TEST_STORAGE="$AZURITE_CONNECTION_STRING" CERTIFICATE_SAMPLE_PDF="$work/certificate.pdf" \
  dotnet test tests/Functions.Tests -c Release --nologo -v quiet --filter "FullyQualifiedName~A_name_change_draws_a_new_version" >"$work/test.log" 2>&1 \
  || { cat "$work/test.log"; exit 1; }
mkdir -p docs/images
pdftoppm -png -r 100 -singlefile "$work/certificate.pdf" docs/images/certificate
echo "Wrote docs/images/certificate.png ($(du -h docs/images/certificate.png | cut -f1); the PDF: $(du -h "$work/certificate.pdf" | cut -f1))"
