// The SecOps bot on Azure: App Service on Linux (Node 22 LTS) running `node dist/bot/main.js`, state in Azure Blob
// storage, secrets in Key Vault, telemetry in Application Insights, and an Azure Bot with the Teams channel.
// One user-assigned managed identity is the bot's identity towards Graph, Blob storage and Key Vault (and, with
// botAppType UserAssignedMSI, towards the Bot Framework too). docs/deploy.md walks through a deployment.
//
// Not compiled on the machines this project is developed on (no Bicep CLI there): run `az bicep build --file
// infra/main.bicep` before a first deployment. tests/integration/infra/bicep.test.ts checks that every setting
// bot/config.ts requires in tenant mode is set below.

targetScope = 'resourceGroup'

@description('Prefix of every resource name: lower-case letters and digits only (it is part of the storage account name), 3-12 characters.')
@minLength(3)
@maxLength(12)
param name string = 'secbot'

@description('Region of every regional resource (the Azure Bot itself is global).')
param location string = resourceGroup().location

@description('How the bot authenticates to the Bot Framework: the managed identity (no secret anywhere), or a single-tenant app registration whose secret goes into Key Vault.')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the client id of the bot\'s app registration.')
param botAppId string = ''

@description('SingleTenant only: a client secret of that app registration; stored in Key Vault as bot-app-password.')
@secure()
param botAppPassword string = ''

@description('The Entra tenant whose users may talk to the bot (ALLOWED_TENANT_ID).')
param allowedTenantId string = tenant().tenantId

@description('Object id of the Entra group whose members may run commands (OPERATORS_GROUP_ID).')
@minLength(36)
@maxLength(36)
param operatorsGroupId string

@description('Object id of the Entra group whose members may approve response actions (APPROVERS_GROUP_ID).')
@minLength(36)
@maxLength(36)
param approversGroupId string

@description('Object id of a group whose members no response action may target (PROTECTED_GROUP_ID); empty for none.')
param protectedGroupId string = ''

@description('Comma-separated UPNs whose inbox rules the alert poller checks (WATCHED_MAILBOXES).')
param watchedMailboxes string = ''

@description('Read mailbox-level forwarding through the Exchange Online admin API (needs Exchange.ManageAsApp and an Exchange role).')
param exchangeAdminEnabled bool = false

@description('App Service plan size; Basic or better, because Always On keeps the alert poller running.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'P0v3'
  'P1v3'
])
param planSku string = 'B1'

@description('Instances of the bot; all share the Blob container (leases keep one alert poller and one sweep at a time).')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Storage redundancy for the approvals, alerts and the audit chain.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param storageSku string = 'Standard_LRS'

@description('Seconds SIGTERM waits for turns, send queues and outboxes to drain (SHUTDOWN_GRACE_SECONDS).')
@minValue(5)
@maxValue(100)
param shutdownGraceSeconds int = 20

@description('Azure Bot pricing tier; Teams is a standard channel, free in F0.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

var suffix = uniqueString(resourceGroup().id, name)
var isMsi = botAppType == 'UserAssignedMSI'
var containerName = 'secbot'
var botSecretName = 'bot-app-password'
// Built-in role definitions (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${toLower(name)}st${suffix}', 24)
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Only Entra identities (the managed identity) reach the data: no account keys, no SAS.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    // A deleted approval or audit blob can be restored for 30 days.
    deleteRetentionPolicy: {
      enabled: true
      days: 30
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 30
    }
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

resource blobAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${suffix}'
  location: location
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
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!isMsi) {
  parent: vault
  name: botSecretName
  properties: {
    value: botAppPassword
  }
}

resource secretAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: planSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: '${name}-${suffix}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Teams' activities for one conversation may land on any instance; no sticky sessions.
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node dist/bot/main.js'
      // The alert poller and the approval worker run between requests.
      alwaysOn: true
      healthCheckPath: '/readyz'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}

// App settings as their own resource: PUBLIC_BASE_URL needs the site's host name, known once the site exists.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    SECBOT_MODE: 'tenant'
    MicrosoftAppType: botAppType
    MicrosoftAppId: isMsi ? identity.properties.clientId : botAppId
    MicrosoftAppTenantId: tenant().tenantId
    // Versionless reference: a new secret version is picked up on restart (docs/deploy.md, rotating the secret).
    MicrosoftAppPassword: isMsi ? '' : '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${botSecretName})'
    // Graph (and Blob storage) as the managed identity, with the application permissions of infra/grant-permissions.sh.
    AZURE_USE_MANAGED_IDENTITY: 'true'
    AZURE_CLIENT_ID: identity.properties.clientId
    ALLOWED_TENANT_ID: allowedTenantId
    OPERATORS_GROUP_ID: operatorsGroupId
    APPROVERS_GROUP_ID: approversGroupId
    PROTECTED_GROUP_ID: protectedGroupId
    WATCHED_MAILBOXES: watchedMailboxes
    EXCHANGE_ADMIN_ENABLED: string(exchangeAdminEnabled)
    STORAGE_URL: 'azure-blob:${containerName}'
    AZURE_STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
    PUBLIC_BASE_URL: 'https://${site.properties.defaultHostName}'
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    SHUTDOWN_GRACE_SECONDS: string(shutdownGraceSeconds)
    // App Service sends SIGTERM, then SIGKILL after this many seconds (default 5): room for the drain.
    WEBSITES_CONTAINER_STOP_TIME_LIMIT: string(shutdownGraceSeconds + 10)
    // The deployment zip holds dist/ and production node_modules; it is mounted read-only, nothing is built there.
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  }
  dependsOn: [
    // Key Vault references and the first Blob write need the role assignments in place.
    secretAccess
    blobAccess
    container
    botSecret
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'SecOps Bot'
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppType: botAppType
    msaAppId: isMsi ? identity.properties.clientId : botAppId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: isMsi ? identity.id : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

@description('The web app to deploy the zip to.')
output siteName string = site.name

@description('The bot\'s public root; the messaging endpoint is <publicBaseUrl>/api/messages.')
output publicBaseUrl string = 'https://${site.properties.defaultHostName}'

@description('MicrosoftAppId, also the Teams app manifest\'s bot id (npm run package).')
output botAppId string = isMsi ? identity.properties.clientId : botAppId

@description('Object id of the managed identity, which calls Graph with either botAppType: infra/grant-permissions.sh --principal.')
output identityPrincipalId string = identity.properties.principalId

@description('The Blob container holding the bot\'s state.')
output storageContainerUrl string = '${storage.properties.primaryEndpoints.blob}${containerName}'
