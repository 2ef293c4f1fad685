// The Functions app on the Flex Consumption plan: .NET 10 isolated worker, Durable Functions on the Azure Storage
// provider. Every connection is made as the user-assigned identity: no keys or connection strings in settings.
param name string
param planName string
param location string
param tags object
param identityName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string

@description('Versionless URI of the SendGridApiKey secret, or empty when no key is configured.')
param sendGridApiKeySecretUri string

@description('Versionless URI of the LinkSigningKey secret.')
param linkSigningKeySecretUri string

param mailFrom string

@description('Application (client) ID of the Entra ID app registration that staff sign in to and callers get tokens for; its app roles (procurement, supervisor, auditor) are the staff roles. See README, "Sign-in and roles".')
param authClientId string

@description('Entra ID tenant of the app registration.')
param authTenantId string = tenant().tenantId

@description('Log Analytics workspace that receives the function app\'s logs.')
param logAnalyticsWorkspaceId string

@description('The subnet the app integrates with (network.bicep); empty for no virtual network.')
param virtualNetworkSubnetId string = ''

@description('The uploads account (uploads.bicep), deployed with private networking; empty when uploads stay on the main account.')
param uploadsStorageAccountName string = ''

@description('Durable Functions task hub; letters and digits only.')
param taskHubName string = 'supervision'

param maximumInstanceCount int = 100

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: storageAccountName
}

resource uploadsStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = if (!empty(uploadsStorageAccountName)) {
  name: uploadsStorageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
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
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
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
        version: '10.0'
      }
    }
  }
}

// Deployment is by the identity (azd), never by a publishing user name and password: both basic-auth endpoints are off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// 2021-05-01-preview is the newest version of diagnostic settings there is; the linter asks for a newer one.
#disable-next-line use-recent-api-versions
resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

// App Service Authentication (Easy Auth) with Entra ID in front of every route but the contractors' signed links,
// health and the API's OpenAPI document: an API call without a valid token gets 401 from the platform, which also
// strips any X-MS-CLIENT-PRINCIPAL a caller sends, so the app can trust the header it receives. The app refuses staff
// routes when this is off.
resource authentication 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/vendor/*'
        '/api/vendor/*'
        '/api/health'
        '/api/openapi.json'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          // Tokens for the API (user sign-in or a procurement system's client-credentials token) carry this audience.
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// Flex Consumption sets the worker runtime and the extension version itself (functionAppConfig.runtime):
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE must not be set here.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The host's storage (triggers, Durable Functions task hub) through the identity, one URI per service.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    TaskHubName: taskHubName
    // Application Insights accepts Entra ID only (DisableLocalAuth): the host signs in as the identity.
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    // Lets DefaultAzureCredential in the worker (e.g. the Azure Monitor exporter) pick the user-assigned identity.
    AZURE_CLIENT_ID: identity.properties.clientId
    // The app's own options (section Supervision).
    Supervision__Storage__BlobServiceUri: storage.properties.primaryEndpoints.blob
    Supervision__Storage__TableServiceUri: storage.properties.primaryEndpoints.table
    Supervision__Storage__ManagedIdentityClientId: identity.properties.clientId
    Supervision__Mail__From: mailFrom
    // Empty when no SendGrid key was given (see keyvault.bicep): the app then treats SendGrid as not configured.
    Supervision__Mail__SendGridApiKey: empty(sendGridApiKeySecretUri)
      ? ''
      : '@Microsoft.KeyVault(SecretUri=${sendGridApiKeySecretUri})'
    Supervision__Links__SigningKeys__0: '@Microsoft.KeyVault(SecretUri=${linkSigningKeySecretUri})'
    // The daily sweep runs at 05:00 JST by default (SweepOptions); to change it, add Supervision__Sweep__Schedule (NCRONTAB, UTC) here.
    // Contractors' uploads on an account of their own (private networking); absent, they use the main account.
    ...(empty(uploadsStorageAccountName)
      ? {}
      : { Supervision__Storage__UploadsBlobServiceUri: uploadsStorage!.properties.primaryEndpoints.blob })
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
