# Shared by run.sh, test.sh, publish.sh and tools/certificate-image.sh: installs Debian packages that are missing.
# Usage: source scripts/debian-packages.sh; ensure_debian_packages <package>...
# The PDFs embed fonts from fonts-droid-fallback and fonts-liberation2 (docs/certificates.md); the build copies them.
ensure_debian_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}…"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The fonts the PDFs embed.
PDF_FONT_PACKAGES=(fonts-droid-fallback fonts-liberation2)
