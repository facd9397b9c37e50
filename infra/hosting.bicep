// Glasswatch hosting: deployed into Glasswatch's OWN subscription, outside the trust boundary of the
// tenant it watches, so that whoever takes over that tenant cannot quietly switch the watchman off.
// Creates the Azure Bot (single-tenant) with its Teams channel, a Linux App Service running the
// Node app, a Key Vault holding the secrets the app reads through Key Vault references, and the
// storage account for the later multi-instance store.
//
//   az deployment group create --resource-group <glasswatch resource group> \
//     --template-file infra/hosting.bicep --parameters @infra/hosting.parameters.json \
//     --parameters botAppPassword=<secret> alertWebhookToken=<token>

targetScope = 'resourceGroup'

@description('Base name of the resources: lower-case letters, digits and hyphens. A unique suffix is added where names must be globally unique.')
@minLength(3)
@maxLength(30)
param name string = 'glasswatch'

@description('Region of the App Service, Key Vault and storage account.')
param location string = resourceGroup().location

@description('Application (client) id of the bot\'s single-tenant app registration (MicrosoftAppId).')
param botAppId string

@description('Client secret of the bot app registration (MicrosoftAppPassword). Stored in Key Vault only.')
@secure()
param botAppPassword string

@description('Tenant id of the bot app registration: the tenant whose Teams the responders use (MicrosoftAppTenantId). Activities from other Teams tenants are ignored.')
param botTenantId string = tenant().tenantId

@description('Shared secret the action group sends as ?token= (ALERT_WEBHOOK_TOKEN, at least 24 URL-safe characters). Give the same value to monitoring.bicep. Empty only when the secure webhook is configured.')
@secure()
param alertWebhookToken string = ''

@description('Secure webhook: Application ID URI (or application id) of the app registration the action group gets tokens for (ALERT_WEBHOOK_AUDIENCE). Empty: token only.')
param alertWebhookAudience string = ''

@description('Secure webhook: tenant id holding that app registration (ALERT_WEBHOOK_TENANT_ID), normally the monitored tenant.')
param alertWebhookTenantId string = ''

@description('User principal names or object ids of the break-glass accounts (GLASSWATCH_ACCOUNTS).')
@minLength(1)
param breakGlassAccounts array

@description('Entra object ids of the people allowed to act on incidents (GLASSWATCH_RESPONDERS).')
@minLength(1)
param responders array

@description('Monitored tenant id for the read-only tenant reader (AZURE_TENANT_ID). Empty: no posture checks or enrichment, alerts still flow.')
param tenantReaderTenantId string = ''

@description('Application (client) id of the read-only tenant reader app registration in the monitored tenant (AZURE_CLIENT_ID).')
param tenantReaderClientId string = ''

@description('Client secret of the tenant reader (AZURE_CLIENT_SECRET). Stored in Key Vault only.')
@secure()
param tenantReaderClientSecret string = ''

@description('Workspace id (GUID, not the resource id) of the Log Analytics workspace holding SigninLogs (LOG_ANALYTICS_WORKSPACE_ID): monitoring.bicep\'s logAnalyticsWorkspaceId output.')
param logAnalyticsWorkspaceId string = ''

@description('App Service plan SKU. Always On needs Basic (B1) or higher.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
])
param appServicePlanSku string = 'B1'

@description('Node.js runtime. Glasswatch needs Node 20.19 or later; Node 20 left upstream support on 30 April 2026, so 22 is the default.')
@allowed([
  'NODE|20-lts'
  'NODE|22-lts'
  'NODE|24-lts'
])
param linuxFxVersion string = 'NODE|22-lts'

@description('Azure Bot pricing tier. Teams is a standard channel, free on F0.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Storage redundancy of the account kept for the multi-instance store.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Further app settings, e.g. { "GRAPH_ENDPOINT": "https://graph.microsoft.us" } for a national cloud. They override the ones this template sets.')
param additionalAppSettings object = {}

@description('Tags for every resource.')
param tags object = {}

var baseName = toLower(name)
var suffix = uniqueString(resourceGroup().id, baseName)
var siteName = '${baseName}-${suffix}'
var keyVaultName = 'kv${suffix}'
var storageName = 'st${suffix}'

var botPasswordSecretName = 'MicrosoftAppPassword'
var webhookTokenSecretName = 'AlertWebhookToken'
var readerSecretSecretName = 'AzureClientSecret'

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'asp-${baseName}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    // One instance: the embedded SQLite store has a single writer. Several instances wait for the
    // Azure Table Storage store (the storage account below).
    capacity: 1
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      alwaysOn: true
      healthCheckPath: '/healthz'
      // The build runs once at deployment (Oryx, SCM_DO_BUILD_DURING_DEPLOYMENT); `npm start`
      // would run the TypeScript build again on every start.
      appCommandLine: 'node --enable-source-maps dist/bot/main.js'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
    }
  }
}

// Deployments authenticate with Entra ID (az webapp deploy), never with publishing passwords.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
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
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: botPasswordSecretName
  properties: {
    value: botAppPassword
  }
}

resource webhookTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(alertWebhookToken)) {
  parent: keyVault
  name: webhookTokenSecretName
  properties: {
    value: alertWebhookToken
  }
}

resource readerSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(tenantReaderClientSecret)) {
  parent: keyVault
  name: readerSecretSecretName
  properties: {
    value: tenantReaderClientSecret
  }
}

resource siteReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, site.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Entra ID (the app's managed identity) only: no account keys to leak.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource siteUsesTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, site.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Versionless secret URIs: a rotated secret is picked up without redeploying.
var secretBaseUri = '${keyVault.properties.vaultUri}secrets'

var baseSettings = {
  MicrosoftAppId: botAppId
  MicrosoftAppPassword: '@Microsoft.KeyVault(SecretUri=${secretBaseUri}/${botPasswordSecretName}/)'
  MicrosoftAppType: 'SingleTenant'
  MicrosoftAppTenantId: botTenantId
  GLASSWATCH_ACCOUNTS: join(breakGlassAccounts, ',')
  GLASSWATCH_RESPONDERS: join(responders, ',')
  // /home is the App Service's persistent (network) storage: the SQLite store survives restarts
  // and redeployments there.
  GLASSWATCH_DATA_DIR: '/home/data'
  GLASSWATCH_PLAYGROUND: 'off'
  LOG_LEVEL: 'info'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
}

var webhookTokenSettings = {
  ALERT_WEBHOOK_TOKEN: '@Microsoft.KeyVault(SecretUri=${secretBaseUri}/${webhookTokenSecretName}/)'
}

var secureWebhookSettings = {
  ALERT_WEBHOOK_AUDIENCE: alertWebhookAudience
  ALERT_WEBHOOK_TENANT_ID: alertWebhookTenantId
}

var tenantReaderSettings = {
  AZURE_TENANT_ID: tenantReaderTenantId
  AZURE_CLIENT_ID: tenantReaderClientId
}

var tenantReaderSecretSettings = {
  AZURE_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${secretBaseUri}/${readerSecretSecretName}/)'
}

var workspaceSettings = {
  LOG_ANALYTICS_WORKSPACE_ID: logAnalyticsWorkspaceId
}

var authSettings = union(empty(alertWebhookToken) ? {} : webhookTokenSettings, empty(alertWebhookAudience) ? {} : secureWebhookSettings)
var readerSettings = union(empty(tenantReaderClientId) ? {} : tenantReaderSettings, empty(tenantReaderClientSecret) ? {} : tenantReaderSecretSettings, empty(logAnalyticsWorkspaceId) ? {} : workspaceSettings)

resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: union(baseSettings, authSettings, readerSettings, additionalAppSettings)
  // Key Vault references resolve on (re)start: have the secrets and the access in place first.
  dependsOn: [
    siteReadsSecrets
    botPasswordSecret
    webhookTokenSecret
    readerSecret
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: siteName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'Glasswatch'
    description: 'Guards the emergency access (break-glass) accounts of a Microsoft Entra ID tenant.'
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('The web app\'s name (for az webapp deploy).')
output webAppName string = site.name

@description('Host name for the Teams app package (BOT_DOMAIN for npm run package).')
output webAppHostName string = site.properties.defaultHostName

@description('The Azure Bot\'s messaging endpoint.')
output botEndpoint string = 'https://${site.properties.defaultHostName}/api/messages'

@description('The action group webhook base URL: monitoring.bicep\'s glasswatchAlertUrl.')
output alertWebhookBaseUrl string = 'https://${site.properties.defaultHostName}/api/alerts'

@description('Key Vault holding MicrosoftAppPassword, AlertWebhookToken and AzureClientSecret.')
output keyVaultName string = keyVault.name

@description('Storage account kept for the multi-instance store.')
output storageAccountName string = storage.name
