// Data-plane roles for the app's identity and, when principalId is given, for the deploying user (debugging).
// Each role is granted on the one resource it is for, never on the resource group.
param storageAccountName string

@description('The uploads account (uploads.bicep), deployed with private networking; empty grants nothing there.')
param uploadsStorageAccountName string = ''

param applicationInsightsName string
param keyVaultName string
param identityPrincipalId string

@description('Object id of the deploying user; empty grants nothing.')
param userPrincipalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
])
param userPrincipalType string = 'User'

// Storage Blob Data Owner: host blobs, Durable Functions leases, evidence, the Flex deployment package.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Blob Data Contributor, on the uploads account only: signs the upload SAS (user delegation key), reads and
// deletes uploads. Nothing of ownership (ACLs) and nothing on any other account.
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0dc17ac1'
// Storage Queue Data Contributor: Durable Functions control and work-item queues.
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: Durable Functions history and instances, the app's tables.
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Monitoring Metrics Publisher: telemetry to Application Insights with local auth off.
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'
// Key Vault Secrets User: resolves the Key Vault references in the app settings.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

var principals = concat(
  [
    {
      id: identityPrincipalId
      type: 'ServicePrincipal'
    }
  ],
  empty(userPrincipalId)
    ? []
    : [
        {
          id: userPrincipalId
          type: userPrincipalType
        }
      ]
)

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: storageAccountName
}

resource uploadsStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = if (!empty(uploadsStorageAccountName)) {
  name: uploadsStorageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource storageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: {
    name: guid(storage.id, principal.id, storageBlobDataOwnerRoleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwnerRoleId)
      principalId: principal.id
      principalType: principal.type
    }
  }
]

resource uploadsBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: if (!empty(uploadsStorageAccountName)) {
    name: guid(uploadsStorage.id, principal.id, storageBlobDataContributorRoleId)
    scope: uploadsStorage
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        storageBlobDataContributorRoleId
      )
      principalId: principal.id
      principalType: principal.type
    }
  }
]

resource storageQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: {
    name: guid(storage.id, principal.id, storageQueueDataContributorRoleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        storageQueueDataContributorRoleId
      )
      principalId: principal.id
      principalType: principal.type
    }
  }
]

resource storageTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: {
    name: guid(storage.id, principal.id, storageTableDataContributorRoleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        storageTableDataContributorRoleId
      )
      principalId: principal.id
      principalType: principal.type
    }
  }
]

resource monitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: {
    name: guid(applicationInsights.id, principal.id, monitoringMetricsPublisherRoleId)
    scope: applicationInsights
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        monitoringMetricsPublisherRoleId
      )
      principalId: principal.id
      principalType: principal.type
    }
  }
]

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in principals: {
    name: guid(vault.id, principal.id, keyVaultSecretsUserRoleId)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
      principalId: principal.id
      principalType: principal.type
    }
  }
]
