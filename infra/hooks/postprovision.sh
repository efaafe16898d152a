#!/bin/sh
# After `azd provision` (or by hand after `az deployment sub create`): creates the Key Vault
# secrets the app reads when they do not exist yet. Never overwrites one — rotating is a
# deliberate step (docs/deploy.md, "Rotating keys"). Needs the Azure CLI logged in to the same cloud
# with 'Key Vault Secrets Officer' on the vault (main.bicep grants it to principalId).
# Usage: AZURE_KEY_VAULT_NAME=kv-… infra/hooks/postprovision.sh
set -eu
vault=${AZURE_KEY_VAULT_NAME:?set AZURE_KEY_VAULT_NAME (an output of main.bicep)}

ensure_secret() { # name
  if az keyvault secret show --vault-name "$vault" --name "$1" --query id -o tsv >/dev/null 2>&1; then
    echo "Key Vault secret $1 exists"
  else
    az keyvault secret set --vault-name "$vault" --name "$1" --value "$(openssl rand -base64 48)" --query id -o tsv >/dev/null
    echo "Key Vault secret $1 created"
  fi
}

# main.bicep's output FUNCREGISTRY_GENERATED_SECRETS names them (webhook secrets: share each with its receiver).
for secret in ${FUNCREGISTRY_GENERATED_SECRETS:-personal-data-key certificate-verification-key review-link-key-k1}; do
  ensure_secret "$secret"
done
if [ "${FUNCREGISTRY_AZURE_CHINA:-false}" = "true" ] && ! az keyvault secret show --vault-name "$vault" --name aliyun-sms-access-key-secret >/dev/null 2>&1; then
  echo "Set the Aliyun AccessKey secret: az keyvault secret set --vault-name $vault --name aliyun-sms-access-key-secret --value <secret>"
fi
