// The resources of one FuncRegistry deployment (see main.bicep). Every data-plane access is by
// the app's user-assigned identity: no storage keys, no instrumentation keys, no ACS keys.

param environmentName string
param location string
param tags object
@description('true: Azure China (21Vianet) — Elastic Premium instead of Flex Consumption, Aliyun SMS instead of ACS.')
param china bool
param principalId string
param authAuthority string
param authAudience string
param authRequiredScope string
param authRoleValues object
param reviewLinkKeyIds array
param previousCertificateKeyVersions array
param publicBaseUrl string
param acsDataLocation string
param acsSender string
param aliyunAccessKeyId string
param aliyunSignName string
param aliyunTemplateCodes object
param provinceWebhookUrl string
param cityWebhookUrls object
param chinaPlanSku string
param maximumInstanceCount int
param instanceMemoryMB int
@description('Origins besides the portal\'s static website that may call the API from a browser (CORS), e.g. a custom domain or CDN in front of the portal.')
param portalOrigins array

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var appName = 'func-${token}'
var packageContainer = 'deployment-package'
// The .NET runtime image the isolated worker runs on (worker.config.json in the package starts it).
var dotnetVersion = '10.0'
// The Durable Functions task hub (host.json: "hubName": "%DurableTaskHubName%"): its tables, queues
// and blobs are named after it in the AzureWebJobsStorage account. Fixed, so that a new app name or
// slot does not start an empty hub beside the instances that are waiting.
var durableTaskHubName = 'funcregistry'

// Built-in role definition ids.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  contributor: 'b24988ac-6180-42a3-ab88-20f7382dd24c'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${token}'
  location: location
  tags: tags
}

// ---------------------------------------------------------------- storage
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

// Private containers: the deployment package, the applicants' documents and their direct uploads, the
// rendered electronic certificates (the app would create the last three itself; here they exist before the first request).
resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for name in [packageContainer, 'documents', 'document-uploads', 'certificate-pdfs']: {
    parent: blobService
    name: name
    properties: {
      publicAccess: 'None'
    }
  }
]

// Data roles only, by identity (shared keys are off): the app's state is tables, queues and blobs;
// the Functions host keeps its leases and keys in blobs (Blob Data Owner); the Durable Functions task
// hub in this account is tables (history, instances), queues (control, work items) and blobs
// (partition leases, large messages) — it asks for Blob Data Contributor, which Owner includes,
// Queue Data Contributor and Table Data Contributor. Nothing else (BicepTests checks the set).
resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
    name: guid(storage.id, identity.id, role)
    scope: storage
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

// The deployer uploads the package (Azure China: the app runs it from this container).
resource deployerPackageRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(storage.id, packageContainer, principalId, roles.storageBlobDataContributor)
  scope: containers[0]
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

// ---------------------------------------------------------------- monitoring
resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${token}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
    features: {
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

// Local auth is off: telemetry is ingested with the identity's Entra token.
resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// ---------------------------------------------------------------- secrets
// Secrets (created by infra/hooks/postprovision.sh when missing, rotated as docs/deploy.md says):
//   personal-data-key             HMAC key of personal identifiers in storage keys
//   review-link-key-<id>          signs reviewer callback links (one per key id, see reviewLinkKeyIds)
//   certificate-verification-key  keys the check codes printed on the electronic certificates; the versions it
//                                 replaced still verify while listed in previousCertificateKeyVersions
//   province-webhook-secret       HMAC key of the province reviewers' webhook (when configured)
//   city-<code>-webhook-secret    HMAC key of a city reviewers' webhook (when configured)
//   aliyun-sms-access-key-secret  Azure China only
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource vaultReaderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource vaultOfficerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

func secretReference(vaultUri string, secret string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secret})'

// ---------------------------------------------------------------- SMS
resource acs 'Microsoft.Communication/communicationServices@2023-04-01' = if (!china) {
  name: 'acs-${token}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: acsDataLocation
  }
}

// ACS authorizes Entra callers by an Azure role on the resource (its documented choice for SMS).
resource acsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!china) {
  name: guid(acs.id, identity.id, roles.contributor)
  scope: acs
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.contributor)
  }
}

// ---------------------------------------------------------------- the reference portal
// A static website (the $web container, served anonymously from the web endpoint) in an account of
// its own: nothing of the app's data sits beside a public surface. Static website hosting is a
// data-plane setting that ARM cannot make; infra/hooks/deploy-portal.sh switches it on and uploads
// portal/dist with its config.json (docs/portal.md). No shared keys: the deployer uploads by identity.
resource portalStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stweb${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
  }
}

// The deployer uploads the portal's files (the app's identity has no role here: it never writes them).
resource deployerPortalRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(portalStorage.id, principalId, roles.storageBlobDataContributor)
  scope: portalStorage
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

// The portal's origin as browsers send it: the web endpoint's scheme and host (https://…web.core…), no trailing slash.
var portalWebEndpoint = portalStorage.properties.primaryEndpoints.web
var portalOrigin = join(take(split(portalWebEndpoint, '/'), 3), '/')


// ---------------------------------------------------------------- the app
var blobEndpoint = storage.properties.primaryEndpoints.blob
var settings = {
  // The Functions host's own storage and the Durable task hub in it, by identity: service URIs work
  // in every cloud; Durable Functions takes the user-assigned identity by clientId only.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  DurableTaskHubName: durableTaskHubName
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  // DefaultAzureCredential in the app: this identity, this cloud's Entra endpoint.
  AZURE_CLIENT_ID: identity.properties.clientId
  AZURE_AUTHORITY_HOST: environment().authentication.loginEndpoint
  Storage__ConnectionString: ''
  Storage__TableEndpoint: storage.properties.primaryEndpoints.table
  Storage__QueueEndpoint: storage.properties.primaryEndpoints.queue
  Storage__BlobEndpoint: blobEndpoint
  Storage__PersonalDataKeySecret: secretReference(vault.properties.vaultUri, 'personal-data-key')
  Auth__Authority: authAuthority
  Auth__Audience: authAudience
  Auth__RequiredScope: authRequiredScope
  ReviewLinks__ActiveKeyId: last(reviewLinkKeyIds)
  ReviewLinks__PublicBaseUrl: publicBaseUrl
  Certificates__VerificationKey: secretReference(vault.properties.vaultUri, 'certificate-verification-key')
  Certificates__PublicBaseUrl: publicBaseUrl
  // In Azure the ReviewClockTimer function sweeps (review clock and outbox safety nets), as the app's own loop does locally.
  Deadlines__RunSweeper: 'false'
  Telemetry__Exporter: 'None'
}
var smsSettings = china
  ? union(
      {
        Sms__Gateway: 'Aliyun'
        Sms__Aliyun__Endpoint: 'https://dysmsapi.aliyuncs.com'
        Sms__Aliyun__AccessKeyId: aliyunAccessKeyId
        Sms__Aliyun__AccessKeySecret: secretReference(vault.properties.vaultUri, 'aliyun-sms-access-key-secret')
        Sms__Aliyun__SignName: aliyunSignName
      },
      toObject(items(aliyunTemplateCodes), t => 'Sms__Aliyun__TemplateCodes__${t.key}', t => string(t.value))
    )
  : {
      Sms__Gateway: 'Acs'
      Sms__Acs__Endpoint: 'https://${acs!.properties.hostName}'
      Sms__Acs__From: acsSender
    }
// Azure China: no Flex, so the package runs from its blob (read with the identity), not from Azure Files.
var chinaSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  WEBSITE_RUN_FROM_PACKAGE: '${blobEndpoint}${packageContainer}/functions.zip'
  WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identity.id
}
var provinceWebhookSettings = empty(provinceWebhookUrl)
  ? {}
  : {
      Deadlines__Webhooks__Province__Url: provinceWebhookUrl
      Deadlines__Webhooks__Province__Secret: secretReference(vault.properties.vaultUri, 'province-webhook-secret')
    }
var cityWebhookSettings = reduce(items(cityWebhookUrls), {}, (all, city) => union(all, {
  'Deadlines__Webhooks__Cities__${city.key}__Url': string(city.value)
  'Deadlines__Webhooks__Cities__${city.key}__Secret': secretReference(vault.properties.vaultUri, 'city-${city.key}-webhook-secret')
}))
var roleValueSettings = toObject(items(authRoleValues), r => 'Auth__RoleValues__${r.key}', r => string(r.value))
var reviewLinkSettings = reduce(range(0, length(reviewLinkKeyIds)), {}, (all, i) => union(all, {
  'ReviewLinks__Keys__${i}__Id': reviewLinkKeyIds[i]
  'ReviewLinks__Keys__${i}__Secret': secretReference(vault.properties.vaultUri, 'review-link-key-${reviewLinkKeyIds[i]}')
}))
// Earlier versions of the same secret, by version: codes printed under them keep verifying after a rotation.
var previousCertificateKeySettings = reduce(range(0, length(previousCertificateKeyVersions)), {}, (all, i) => union(all, {
  'Certificates__PreviousVerificationKeys__${i}': secretReference(vault.properties.vaultUri, 'certificate-verification-key/${previousCertificateKeyVersions[i]}')
}))
var appSettings = union(settings, roleValueSettings, reviewLinkSettings, previousCertificateKeySettings, smsSettings, provinceWebhookSettings, cityWebhookSettings, china ? chinaSettings : {})

resource flexPlan 'Microsoft.Web/serverfarms@2024-04-01' = if (!china) {
  name: 'plan-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource premiumPlan 'Microsoft.Web/serverfarms@2024-04-01' = if (china) {
  name: 'plan-${token}'
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    tier: 'ElasticPremium'
    name: chinaPlanSku
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: 20
  }
}

var siteConfig = {
  minTlsVersion: '1.2'
  scmMinTlsVersion: '1.2'
  ftpsState: 'Disabled'
  http20Enabled: true
  appSettings: map(items(appSettings), s => { name: s.key, value: s.value })
  // The portal calls the API from its own origin with a bearer token: no cookies, so no credentials.
  cors: {
    allowedOrigins: union([portalOrigin], portalOrigins)
    supportCredentials: false
  }
}

resource flexApp 'Microsoft.Web/sites@2024-04-01' = if (!china) {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: flexPlan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: siteConfig
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${packageContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
  dependsOn: [
    storageRoles
    vaultReaderRole
  ]
}

resource chinaApp 'Microsoft.Web/sites@2024-04-01' = if (china) {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: premiumPlan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: union(siteConfig, { linuxFxVersion: 'DOTNET-ISOLATED|${dotnetVersion}' })
  }
  dependsOn: [
    storageRoles
    vaultReaderRole
  ]
}

// No publishing passwords: deployments authenticate with Entra ID.
resource flexScm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (!china) {
  parent: flexApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource flexFtp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (!china) {
  parent: flexApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource chinaScm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (china) {
  parent: chinaApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource chinaFtp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (china) {
  parent: chinaApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

output functionAppName string = appName
output functionAppUrl string = 'https://${china ? chinaApp!.properties.defaultHostName : flexApp!.properties.defaultHostName}'
output storageAccountName string = storage.name
output keyVaultName string = vault.name
output deploymentContainer string = packageContainer
output portalStorageAccountName string = portalStorage.name
output portalUrl string = portalWebEndpoint
@description('The Key Vault secrets the hook generates when missing (space-separated).')
output generatedSecrets string = join(flatten([
  ['personal-data-key', 'certificate-verification-key']
  map(reviewLinkKeyIds, id => 'review-link-key-${id}')
  empty(provinceWebhookUrl) ? [] : ['province-webhook-secret']
  map(objectKeys(cityWebhookUrls), code => 'city-${code}-webhook-secret')
]), ' ')
