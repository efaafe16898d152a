// FuncRegistry on Azure or on Azure China (21Vianet): one resource group with the Function App,
// its user-assigned identity, storage (no shared keys), Application Insights (no local auth),
// Key Vault, and the SMS sender — Azure Communication Services in Azure, the Aliyun gateway's
// settings in Azure China (ACS is not offered there and cannot text +86 numbers).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource, e.g. eastasia (Azure) or chinanorth3 (Azure China).')
param location string

@description('true: the Azure China (21Vianet) variant — Elastic Premium instead of Flex Consumption, the Aliyun SMS gateway instead of ACS. Defaults to whether the deployment runs in AzureChinaCloud.')
param azureChina bool = environment().name == 'AzureChinaCloud'

@description('Object id of the person or pipeline deploying (azd sets AZURE_PRINCIPAL_ID): may manage Key Vault secrets. Empty: no such role.')
param principalId string = ''

@description('OIDC authority that issues the API\'s access tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0 (Auth__Authority).')
param authAuthority string

@description('Audience of the access tokens (Auth__Audience), e.g. api://funcregistry.')
param authAudience string

@description('Optional scope delegated tokens must carry (Auth__RequiredScope).')
param authRequiredScope string = ''

@description('Provider role values mapped to the app\'s roles (Auth__RoleValues), e.g. {"Registry.ProvinceReviewer": "province-reviewer"}.')
param authRoleValues object = {}

@minLength(1)
@description('Ids of the review-link signing keys; the last one signs new links. Each key\'s secret is Key Vault secret review-link-key-<id>. Rotate by appending an id, and drop the old one after the links\' lifetime.')
param reviewLinkKeyIds array = ['k1']

@description('Versions of Key Vault secret certificate-verification-key that made check codes on certificates still shown (the last segment of the secret\'s id). They only verify those codes; the latest version makes new ones. Rotate by listing the current version here and provisioning before setting a new value; drop a version once the certificates printed under it have expired (docs/certificates.md).')
param previousCertificateKeyVersions array = []

@description('Base URL of review links and of the verification URL in the certificates\' QR codes when clients reach the API under another host (API gateway, custom domain); empty: the request\'s own host (review links), the app\'s host name (QR codes).')
param publicBaseUrl string = ''

@description('Azure only: ACS data location, e.g. Asia Pacific.')
param acsDataLocation string = 'Asia Pacific'

@description('Azure only: the sender ACS texts from (a number or alphanumeric sender id acquired on the ACS resource); empty until acquired.')
param acsSender string = ''

@description('Azure China only: Aliyun SMS AccessKey id (its secret goes to Key Vault as aliyun-sms-access-key-secret).')
param aliyunAccessKeyId string = ''

@description('Azure China only: the SMS signature registered with Aliyun, e.g. 甘肃住建.')
param aliyunSignName string = ''

@description('Azure China only: the approved Aliyun template code of each SMS template, e.g. {"CityReturned": "SMS_123456789", …} (all six are required).')
param aliyunTemplateCodes object = {}

@description('The province reviewers\' webhook (reminders, escalations); its HMAC secret is Key Vault secret province-webhook-secret. Empty: notices are only recorded on the application.')
param provinceWebhookUrl string = ''

@description('City reviewers\' webhooks by city code, e.g. {"620100": "https://…"}; the HMAC secret of each is Key Vault secret city-<code>-webhook-secret.')
param cityWebhookUrls object = {}

@allowed([
  'EP1'
  'EP2'
  'EP3'
])
@description('Azure China only: the Elastic Premium plan size (Flex Consumption is not offered there).')
param chinaPlanSku string = 'EP1'

@description('Flex Consumption: most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Flex Consumption: memory per instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Origins besides the portal\'s static website allowed to call the API from a browser (CORS), e.g. [\'https://portal.example.cn\'].')
param portalOrigins array = []

var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'funcregistry-resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    china: azureChina
    principalId: principalId
    authAuthority: authAuthority
    authAudience: authAudience
    authRequiredScope: authRequiredScope
    authRoleValues: authRoleValues
    reviewLinkKeyIds: reviewLinkKeyIds
    previousCertificateKeyVersions: previousCertificateKeyVersions
    publicBaseUrl: publicBaseUrl
    acsDataLocation: acsDataLocation
    acsSender: acsSender
    aliyunAccessKeyId: aliyunAccessKeyId
    aliyunSignName: aliyunSignName
    aliyunTemplateCodes: aliyunTemplateCodes
    provinceWebhookUrl: provinceWebhookUrl
    cityWebhookUrls: cityWebhookUrls
    chinaPlanSku: chinaPlanSku
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    portalOrigins: portalOrigins
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_FUNCTION_APP_URL string = resources.outputs.functionAppUrl
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AZURE_DEPLOYMENT_CONTAINER string = resources.outputs.deploymentContainer
output FUNCREGISTRY_PORTAL_STORAGE_ACCOUNT_NAME string = resources.outputs.portalStorageAccountName
output FUNCREGISTRY_PORTAL_URL string = resources.outputs.portalUrl
output FUNCREGISTRY_AZURE_CHINA bool = azureChina
output FUNCREGISTRY_GENERATED_SECRETS string = resources.outputs.generatedSecrets
