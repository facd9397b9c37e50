// Glasswatch monitoring: deployed by the MONITORED tenant's admin into the resource group of the
// Log Analytics workspace that receives the tenant's Entra ID sign-in logs. It creates the
// break-glass sign-in alert rules and the action group that calls Glasswatch (hosted elsewhere,
// see hosting.bicep) and, in parallel, people outside the tenant.
//
//   az deployment group create --resource-group <workspace resource group> \
//     --template-file infra/monitoring.bicep --parameters @infra/monitoring.parameters.json
//
// The KQL lives in infra/kql/*.kql, which the unit tests read too, so the query, the dimensions
// the rule splits by and the alert parser cannot drift apart.

targetScope = 'resourceGroup'

@description('Name of the Log Analytics workspace (in this resource group) that receives SigninLogs and AADServicePrincipalSignInLogs from the tenant\'s Entra ID diagnostic setting.')
param workspaceName string

@description('Region of the alert rules. Defaults to the resource group\'s region; use the workspace\'s region.')
param location string = resourceGroup().location

@description('User principal names and/or object ids of the break-glass user accounts (the same list as GLASSWATCH_ACCOUNTS). Object ids survive a rename.')
@minLength(1)
param breakGlassAccounts array

@description('Application (client) ids or service principal object ids of app-based break-glass identities. Empty: no service principal rule is created.')
param breakGlassAppIds array = []

@description('Glasswatch\'s alert endpoint, the hosting deployment\'s alertWebhookBaseUrl output, e.g. https://glasswatch-abc.azurewebsites.net/api/alerts (no query string).')
param glasswatchAlertUrl string

@description('Shared secret appended as ?token= (Glasswatch\'s ALERT_WEBHOOK_TOKEN, at least 24 URL-safe characters). Leave empty when only the secure webhook is used.')
@secure()
param alertWebhookToken string = ''

@description('Secure webhook: object id of the app registration that defines the ActionGroupsSecureWebhook role (empty: plain webhook with ?token=). The deploying identity must be an owner of that app registration.')
param secureWebhookObjectId string = ''

@description('Secure webhook: the app registration\'s Application ID URI, e.g. api://glasswatch-alerts (Glasswatch\'s ALERT_WEBHOOK_AUDIENCE).')
param secureWebhookIdentifierUri string = ''

@description('Secure webhook: tenant id that holds the app registration (Glasswatch\'s ALERT_WEBHOOK_TENANT_ID). Defaults to this (the monitored) tenant.')
param secureWebhookTenantId string = tenant().tenantId

@description('E-mail addresses of people OUTSIDE the monitored tenant (at least one): a mailbox inside the tenant belongs to whoever controls the tenant.')
@minLength(1)
param outOfTenantEmails array

@description('Optional SMS receivers outside the tenant: [{ "countryCode": "31", "phoneNumber": "612345678" }]. Azure sends at most one SMS per number every 5 minutes.')
param outOfTenantSms array = []

@description('Action group name.')
param actionGroupName string = 'ag-glasswatch-breakglass'

@description('Action group short name: shown in e-mails and SMS.')
@maxLength(12)
param actionGroupShortName string = 'breakglass'

@description('How far back each evaluation looks. Longer than the 1-minute frequency so a late-ingested sign-in is still seen; one sign-in may then fire up to window/frequency alerts, which Glasswatch groups into one incident.')
@allowed([
  'PT5M'
  'PT10M'
  'PT15M'
])
param windowSize string = 'PT5M'

@description('Skip the query check at deployment. Only for a workspace that has not yet received its first AADServicePrincipalSignInLogs or SigninLogs record (the table does not exist until then).')
param skipQueryValidation bool = false

@description('Object id of the service principal of Glasswatch\'s read-only tenant reader app (AZURE_CLIENT_ID). When set, it gets Log Analytics Reader on the workspace. Empty: assign it yourself.')
param tenantReaderPrincipalId string = ''

@description('Tags for every resource.')
param tags object = {}

// Log Alerts V2 carry no result rows, only the values of the dimensions the rule splits by. Each
// name must be a column the query projects and a name the alert parser maps to a sign-in field
// (bot/intake/read-sign-in.ts); at most six. ServicePrincipalId is deliberately absent: the parser
// keys app identities by AppId and has no field for the service principal's object id.
var signInDimensions = [
  'UserPrincipalName'
  'UserId'
  'IPAddress'
  'AppDisplayName'
  'ResultType'
  'Location'
]

var appSignInDimensions = [
  'AppId'
  'ServicePrincipalName'
  'IPAddress'
  'ResourceDisplayName'
  'ResultType'
  'Location'
]

// string() of an array is its JSON text, which is a valid KQL dynamic literal; JSON escaping keeps
// any parameter value from breaking out of the string.
var signInQuery = replace(loadTextContent('kql/breakglass-signins.kql'), '{{ACCOUNTS}}', 'dynamic(${string(breakGlassAccounts)})')
var appSignInQuery = replace(loadTextContent('kql/breakglass-sp-signins.kql'), '{{ACCOUNTS}}', 'dynamic(${string(breakGlassAppIds)})')

var ruleDescription = 'An emergency access (break-glass) account signed in. Every sign-in must be a drill or an authorised emergency.'
var useSecureWebhook = !empty(secureWebhookObjectId)
var webhookUri = empty(alertWebhookToken) ? glasswatchAlertUrl : '${glasswatchAlertUrl}?token=${uriComponent(alertWebhookToken)}'

// Glasswatch turns the alert into a Teams card. Secure webhook: the action group presents an Entra
// token (AzNS AAD Webhook app, ActionGroupsSecureWebhook role); otherwise the ?token= authenticates.
var plainReceiver = {
  name: 'glasswatch'
  serviceUri: webhookUri
  useCommonAlertSchema: true
  useAadAuth: false
}
var secureReceiverSettings = {
  useAadAuth: true
  objectId: secureWebhookObjectId
  identifierUri: secureWebhookIdentifierUri
  tenantId: secureWebhookTenantId
}
var glasswatchReceiver = useSecureWebhook ? union(plainReceiver, secureReceiverSettings) : plainReceiver

var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: actionGroupShortName
    enabled: true
    webhookReceivers: [
      glasswatchReceiver
    ]
    // The second path, independent of Glasswatch, Teams and this tenant's mail: someone who has
    // taken over the tenant can read or delete a tenant mailbox and silence a tenant-hosted bot,
    // but not a phone or an outside mailbox.
    emailReceivers: [
      for (address, i) in outOfTenantEmails: {
        name: 'out-of-tenant-email-${i + 1}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
    smsReceivers: [
      for (phone, i) in outOfTenantSms: {
        name: 'out-of-tenant-sms-${i + 1}'
        countryCode: phone.countryCode
        phoneNumber: phone.phoneNumber
      }
    ]
  }
}

// Stateless (autoMitigate: false): every evaluation that finds a sign-in fires, so a second sign-in
// is never swallowed by an alert still open from the first. No muteActionsDuration for the same reason.
resource signInRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'Break-glass account sign-in'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Break-glass account sign-in'
    description: ruleDescription
    severity: 0
    enabled: true
    scopes: [
      workspace.id
    ]
    evaluationFrequency: 'PT1M'
    windowSize: windowSize
    autoMitigate: false
    skipQueryValidation: skipQueryValidation
    criteria: {
      allOf: [
        {
          query: signInQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            for name in signInDimensions: {
              name: name
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource appSignInRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = if (!empty(breakGlassAppIds)) {
  name: 'Break-glass app sign-in'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Break-glass app sign-in'
    description: ruleDescription
    severity: 0
    enabled: true
    scopes: [
      workspace.id
    ]
    evaluationFrequency: 'PT1M'
    windowSize: windowSize
    autoMitigate: false
    skipQueryValidation: skipQueryValidation
    criteria: {
      allOf: [
        {
          query: appSignInQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            for name in appSignInDimensions: {
              name: name
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// Glasswatch enriches cards and answers `signins` from this workspace with its read-only identity.
resource tenantReaderLogAnalyticsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(tenantReaderPrincipalId)) {
  name: guid(workspace.id, tenantReaderPrincipalId, logAnalyticsReaderRoleId)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    principalId: tenantReaderPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Resource id of the action group (test it with az monitor action-group test-notifications create).')
output actionGroupId string = actionGroup.id

@description('Resource id of the break-glass user sign-in rule.')
output signInRuleId string = signInRule.id

@description('The workspace id (GUID) to give Glasswatch as LOG_ANALYTICS_WORKSPACE_ID.')
output logAnalyticsWorkspaceId string = workspace.properties.customerId
