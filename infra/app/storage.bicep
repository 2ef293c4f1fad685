// One storage account for everything: the Durable Functions task hub (blobs, queues, tables), the app's tables,
// the evidence blobs and the Flex Consumption deployment package. Entra ID only: shared keys are off.
param name string
param location string
param tags object

@minValue(1)
@maxValue(146000)
@description('Days each evidence blob stays write-protected after it is written.')
param evidenceRetentionDays int

@description('Origins of the vendor pages, allowed to PUT uploads from a browser (CORS).')
param uploadOrigins array

@description('Days a deleted blob or container can still be restored.')
param softDeleteRetentionDays int = 30

@allowed([
  'Standard_ZRS'
  'Standard_LRS'
])
@description('Zone-redundant by default: a zone outage loses no evidence and stops no workflow. LRS only where the region has no zones.')
param skuName string = 'Standard_ZRS'

@description('Log Analytics workspace that receives the storage logs.')
param logAnalyticsWorkspaceId string

@description('False when the account is reached through private endpoints only (network.bicep).')
param publicNetworkAccess bool = true

// An engagement's own records (trail, requests and links, mail log, evidence metadata among them) share its partition of Engagements.
var tableNames = [
  'Engagements'
  'Outbox'
  'Portfolio'
  'Registry'
]

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    networkAcls: {
      defaultAction: publicNetworkAccess ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    // Kept without a retention limit: the account's own log of every blob change, for auditors.
    changeFeed: {
      enabled: true
    }
    // Only the upload itself crosses origins: a PUT with a create-only SAS for one new blob.
    cors: {
      corsRules: [
        {
          allowedOrigins: uploadOrigins
          allowedMethods: [
            'PUT'
            'OPTIONS'
          ]
          allowedHeaders: [
            'content-type'
            'x-ms-blob-type'
            'x-ms-version'
            'x-ms-client-request-id'
          ]
          exposedHeaders: [
            'x-ms-request-id'
          ]
          maxAgeInSeconds: 600
        }
      ]
    }
  }
}

// Flex Consumption reads the app package from here (functionAppConfig.deployment in api.bicep).
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: 'deployment'
  properties: {
    publicAccess: 'None'
  }
}

// Uploads arrive here first and are kept as they arrived (quarantine); only verified bytes are copied to evidence.
resource uploadsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: 'uploads'
  properties: {
    publicAccess: 'None'
  }
}

// An upload the app accepts is copied into evidence at once; what stays in uploads was abandoned (a browser closed
// mid-upload) or refused and quarantined. It is deleted after 30 days, time enough for staff to look at a refused file,
// with any snapshot of it and any append blob the create-only SAS let someone make (page blobs are beyond lifecycle
// management; the app never counts one as an upload).
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2026-09-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-abandoned-uploads'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
                'appendBlob'
              ]
              prefixMatch: [
                'uploads/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: 30
                }
              }
              // The create-only upload SAS also lets its holder snapshot what it wrote: snapshots go with the blob.
              snapshot: {
                delete: {
                  daysAfterCreationGreaterThan: 30
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource evidenceContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: 'evidence'
  properties: {
    publicAccess: 'None'
  }
}

// Evidence is written once and never overwritten or deleted: a time-based retention (WORM) policy on the
// container makes the service itself refuse overwrites and deletes for evidenceRetentionDays after each write,
// whatever the caller's role. Appends are refused too (allowProtectedAppendWrites: false).
// ARM creates the policy unlocked: it already blocks writes and deletes, but an account owner could still shorten or
// remove it. Locking it (irreversible: it can then only be extended) is a deliberate step for production, outside
// this template: `az storage container immutability-policy lock`. After that, keep evidenceRetentionDays unchanged
// or larger in later provisions. A container holding protected blobs cannot be deleted, so neither can this
// account or its resource group (`azd down`) while evidence is under retention: for throwaway environments,
// `azd env set EVIDENCE_RETENTION_DAYS 1` before the first provision.
resource evidenceImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2026-09-01' = {
  parent: evidenceContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: evidenceRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-09-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

// Durable Functions (Azure Storage provider) keeps its control and work-item queues here.
resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

output name string = storage.name
output deploymentContainerName string = deploymentContainer.name

// Every read, write and delete on the app's data goes to Log Analytics: who touched which evidence or trail row, when.
var storageLogs = [
  { category: 'StorageRead', enabled: true }
  { category: 'StorageWrite', enabled: true }
  { category: 'StorageDelete', enabled: true }
]

// 2021-05-01-preview is the newest version of diagnostic settings there is; the linter asks for a newer one.
#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: storageLogs
  }
}

// 2021-05-01-preview is the newest version of diagnostic settings there is; the linter asks for a newer one.
#disable-next-line use-recent-api-versions
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: storageLogs
  }
}

// 2021-05-01-preview is the newest version of diagnostic settings there is; the linter asks for a newer one.
#disable-next-line use-recent-api-versions
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: storageLogs
  }
}
