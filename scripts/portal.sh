# Shared by run.sh, test.sh and scripts/portal-e2e.sh: the reference portal (portal/, docs/portal.md).
# Usage: source scripts/portal.sh; ensure_portal_built; ensure_chromium
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"

# npm ci in portal/ when its packages are missing or package-lock.json changed since the last install.
ensure_portal_packages() {
  if [ ! -x portal/node_modules/.bin/vite ] || [ ! -x portal/node_modules/.bin/playwright ] \
     || [ portal/package-lock.json -nt portal/node_modules/.package-lock.json ]; then
    echo "Installing the portal's packages (npm ci in portal/)…"
    (cd portal && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

# True when portal/dist is missing or older than what it is built from (its sources or the API document).
portal_outdated() {
  [ -f portal/dist/index.html ] || return 0
  [ -n "$(find portal/src portal/public portal/scripts portal/index.html portal/vite.config.ts portal/tsconfig.json \
      portal/package-lock.json docs/openapi.json -newer portal/dist/index.html -not -name '*.gen.ts' -not -name 'schema.d.ts' -print -quit)" ]
}

# Builds the portal (client generated from docs/openapi.json, type-checked, bundled) when outdated.
ensure_portal_built() {
  ensure_portal_packages
  if portal_outdated; then
    echo "Building the portal (npm run build in portal/)…"
    local log; log=$(mktemp)
    if ! (cd portal && npm run build) >"$log" 2>&1; then cat "$log"; rm -f "$log"; return 1; fi
    rm -f "$log"
  fi
}

# The browser the tests drive: Debian's chromium (Playwright's own download cannot be fetched here).
ensure_chromium() {
  [ -x /usr/bin/chromium ] || ensure_debian_packages chromium
}
