#!/bin/sh
# After `azd deploy` (azure.yaml's postdeploy hook) or by hand: builds the reference portal, writes
# its config.json for this deployment (the API's URL, MSAL sign-in), switches static website hosting
# on in the portal's storage account and uploads portal/dist to its $web container. docs/portal.md.
# Needs Node.js/npm and the Azure CLI logged in to the same cloud, with Storage Blob Data Contributor
# on the account (main.bicep grants it to principalId) and the right to set its blob service
# properties (Owner or Contributor, as `azd provision` needs anyway).
# Settings (`azd env set NAME VALUE`; the first two are main.bicep's outputs):
#   FUNCREGISTRY_PORTAL_STORAGE_ACCOUNT_NAME, AZURE_FUNCTION_APP_URL (or FUNCREGISTRY_PORTAL_API_BASE_URL: an API gateway)
#   FUNCREGISTRY_PORTAL_CLIENT_ID   the portal's app registration (single-page application, redirect URI = FUNCREGISTRY_PORTAL_URL)
#   FUNCREGISTRY_PORTAL_AUTHORITY   e.g. https://login.microsoftonline.com/<tenant> (Azure China: https://login.partner.microsoftonline.cn/<tenant>)
#   FUNCREGISTRY_PORTAL_SCOPES      the API's delegated scope(s), space-separated, e.g. api://funcregistry/Registry.Use
#   FUNCREGISTRY_PORTAL_ROLE_VALUES optional JSON, as Auth__RoleValues: {"Registry.CityReviewer":"city-reviewer"}
#   FUNCREGISTRY_PORTAL_CLAIMS      optional JSON, as Auth__Claims__*: {"subject":"idNumber","city":"extension_city"}
set -eu
if [ -z "${FUNCREGISTRY_PORTAL_CLIENT_ID:-}" ]; then
  echo "The reference portal is not published: set FUNCREGISTRY_PORTAL_CLIENT_ID, _AUTHORITY and _SCOPES (docs/portal.md, \"Deploy\")"
  exit 0
fi
account=${FUNCREGISTRY_PORTAL_STORAGE_ACCOUNT_NAME:?set FUNCREGISTRY_PORTAL_STORAGE_ACCOUNT_NAME (an output of main.bicep)}
export PORTAL_API=${FUNCREGISTRY_PORTAL_API_BASE_URL:-${AZURE_FUNCTION_APP_URL:?set AZURE_FUNCTION_APP_URL (an output of main.bicep)}}
export PORTAL_CLIENT_ID=${FUNCREGISTRY_PORTAL_CLIENT_ID:?set FUNCREGISTRY_PORTAL_CLIENT_ID: the portal\'s app registration}
export PORTAL_AUTHORITY=${FUNCREGISTRY_PORTAL_AUTHORITY:?set FUNCREGISTRY_PORTAL_AUTHORITY}
export PORTAL_SCOPES=${FUNCREGISTRY_PORTAL_SCOPES:?set FUNCREGISTRY_PORTAL_SCOPES: the API\'s delegated scope}
export PORTAL_ROLE_VALUES=${FUNCREGISTRY_PORTAL_ROLE_VALUES:-{\}}
export PORTAL_CLAIMS=${FUNCREGISTRY_PORTAL_CLAIMS:-{\}}
cd "$(dirname "$0")/../.."

(cd portal && npm ci --no-audit --no-fund --loglevel=error && npm run build)
node -e '
  const e = process.env;
  const config = { apiBaseUrl: e.PORTAL_API.replace(/\/+$/, ""), auth: "msal", msal: {
    clientId: e.PORTAL_CLIENT_ID, authority: e.PORTAL_AUTHORITY, scopes: e.PORTAL_SCOPES.split(/\s+/).filter(Boolean),
    roleValues: JSON.parse(e.PORTAL_ROLE_VALUES), claims: JSON.parse(e.PORTAL_CLAIMS) } };
  require("fs").writeFileSync("portal/dist/config.json", JSON.stringify(config, null, 2) + "\n");'

az storage blob service-properties update --account-name "$account" --auth-mode login \
  --static-website --index-document index.html --404-document index.html -o none
# The page and its config.json are read afresh; the hashed bundles never change under their names.
az storage blob upload-batch --account-name "$account" --auth-mode login -d '$web' -s portal/dist --overwrite \
  --content-cache-control 'no-cache' -o none
az storage blob upload-batch --account-name "$account" --auth-mode login -d '$web' -s portal/dist --pattern 'assets/*' --overwrite \
  --content-cache-control 'public, max-age=31536000, immutable' -o none
echo "Portal published: ${FUNCREGISTRY_PORTAL_URL:-the static website of $account}"
