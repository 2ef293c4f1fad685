// The storage account for contractors' uploads, deployed only when main.bicep's privateNetworking is on: the main
// account then refuses public networks, but contractors' browsers PUT their files straight to Blob Storage with a
// create-only SAS. This account holds the `uploads` container and nothing else, and stays public (Entra ID or a
// user-delegation SAS only: no shared key). The app reads each upload from here, checks it, and writes accepted bytes
// into the evidence container of the private account itself (no server-side copy across accounts).
param name string
param location string
param tags object

@description('Origins of the vendor pages, allowed to PUT uploads from a browser (CORS).')
param uploadOrigins array

@allowed([
  'Standard_ZRS'
  'Standard_LRS'
])
@description('The same redundancy as the main account.')
param skuName string = 'Standard_ZRS'

@description('Log Analytics workspace that receives the account\'s blob logs.')
param logAnalyticsWorkspaceId string

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
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Uploads are written once by a create-only SAS and never changed: no versions, change feed or soft delete to keep.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Only the upload itself crosses origins: a PUT with a create-only SAS for one new blob (as storage.bicep).
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

// Uploads arrive here and are kept as they arrived (quarantine); only verified bytes are written to evidence.
resource uploadsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: 'uploads'
  properties: {
    publicAccess: 'None'
  }
}

// The main account's rule (storage.bicep): what stays in uploads was abandoned or refused, and goes after 30 days with
// its snapshots and any append blob the create-only SAS let someone make.
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

// Every read, write and delete goes to Log Analytics, as the main account's.
// 2021-05-01-preview is the newest version of diagnostic settings there is; the linter asks for a newer one.
#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'StorageRead', enabled: true }
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}
