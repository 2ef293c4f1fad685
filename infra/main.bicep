targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names every resource (through resourceToken) and tags it.')
param environmentName string

@minLength(1)
@description('Region for every resource; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user; it gets the same data roles as the app, for debugging. Leave empty to skip.')
param principalId string = ''

@description('Kind of principalId: User for a person running azd, ServicePrincipal for a pipeline.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@secure()
@description('SendGrid API key. Empty: no secret is stored and the app gets an empty key, so it does not send mail through SendGrid.')
param sendGridApiKey string = ''

@description('Sender address of the mail the app sends.')
param mailFrom string = 'no-reply@example.com'

@description('Application (client) ID of the Entra ID app registration for staff sign-in and app-to-app calls (README, "Sign-in and roles").')
param authClientId string

@allowed([
  'Standard_ZRS'
  'Standard_LRS'
])
@description('Storage redundancy: zone-redundant unless the region has no availability zones.')
param storageSku string = 'Standard_ZRS'

// The key that signs the links mailed to contractors. It must stay the same across deployments: a new key
// invalidates every link already sent. newGuid() as a default would regenerate it on every `azd provision`,
// so it is a secure parameter instead. azd generates it once on the first provision (metadata below) and keeps it
// in the environment's config; to choose or rotate it: `azd env set LINK_SIGNING_KEY <64 random characters>`.
@secure()
@minLength(32)
@description('Key that signs the links sent to contractors (at least 32 characters). Keep it stable: changing it invalidates links already sent.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 64
    }
  }
})
param linkSigningKey string

@minValue(1)
@maxValue(146000)
@description('Days each evidence blob stays write-protected (WORM) after it is written. Default 3650 (10 years).')
param evidenceRetentionDays int = 3650

@description('Private networking: the app joins a virtual network, and storage and Key Vault are reached through private endpoints only, with public network access off. Contractors\' uploads then go to a storage account of their own that stays public (README, "Private networking").')
param privateNetworking bool = false

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
// With private networking the main account is private, and contractors' uploads get an account of their own.
var uploadsStorageAccountName = privateNetworking ? '${abbrs.storageStorageAccounts}up${resourceToken}' : ''
// Vendor pages PUT evidence straight to Blob Storage from the contractor's browser (create-only SAS).
var uploadOrigins = [
  'https://${abbrs.webSitesFunctions}api-${resourceToken}.azurewebsites.net'
]

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    evidenceRetentionDays: evidenceRetentionDays
    skuName: storageSku
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    publicNetworkAccess: !privateNetworking
    uploadOrigins: uploadOrigins
  }
}

// With the main account private, contractors' browsers upload to an account of their own that stays public.
module uploads 'app/uploads.bicep' = if (privateNetworking) {
  name: 'uploads'
  scope: rg
  params: {
    name: uploadsStorageAccountName
    location: location
    tags: tags
    skuName: storageSku
    uploadOrigins: uploadOrigins
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    sendGridApiKey: sendGridApiKey
    linkSigningKey: linkSigningKey
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    publicNetworkAccess: !privateNetworking
  }
}

module network 'app/network.bicep' = if (privateNetworking) {
  name: 'network'
  scope: rg
  params: {
    vnetName: '${abbrs.networkVirtualNetworks}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    uploadsStorageAccountName: uploadsStorageAccountName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
  // The uploads account is named here, not taken from the module's outputs: the roles wait for it explicitly.
  dependsOn: [
    uploads
  ]
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: '${abbrs.webSitesFunctions}api-${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityName: identity.outputs.name
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    sendGridApiKeySecretUri: keyVault.outputs.sendGridApiKeySecretUri
    linkSigningKeySecretUri: keyVault.outputs.linkSigningKeySecretUri
    mailFrom: mailFrom
    authClientId: authClientId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    virtualNetworkSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    uploadsStorageAccountName: uploadsStorageAccountName
  }
  // The app reads storage and Key Vault as its identity from its first start: grant the roles first.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output AZURE_FUNCTION_URI string = api.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
