// Key Vault for the app's two secrets. Access is by Azure RBAC only (no access policies): the app's identity
// reads secrets as Key Vault Secrets User (rbac.bicep) through Key Vault references in its app settings.
// Purge protection means a deleted vault keeps its name for softDeleteRetentionInDays: after `azd down`,
// recreating the same environment name needs the vault recovered first (`az keyvault recover`).
param name string
param location string
param tags object

@secure()
@description('SendGrid API key; empty means mail through SendGrid is not configured.')
param sendGridApiKey string

@secure()
@description('Key that signs the links sent to contractors.')
param linkSigningKey string

@description('Log Analytics workspace that receives the vault\'s audit events.')
param logAnalyticsWorkspaceId string

@description('False when the vault is reached through a private endpoint only (network.bicep).')
param publicNetworkAccess bool = true

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess ? 'Enabled' : 'Disabled'
    networkAcls: {
      defaultAction: publicNetworkAccess ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

// Created only when a key is given. Storing a placeholder instead would make the app read the placeholder as a
// key and fail at SendGrid; without the secret the app setting is left empty (api.bicep) and the app sees mail
// through SendGrid as not configured. Once stored, the secret stays in the vault even if a later provision
// passes no key, but the setting then goes back to empty: keep SENDGRID_API_KEY set in the azd environment.
resource sendGridSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: 'SendGridApiKey'
  properties: {
    value: sendGridApiKey
    contentType: 'text/plain'
  }
}

resource linkSigningSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: 'LinkSigningKey'
  properties: {
    value: linkSigningKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
// Versionless URIs: a Key Vault reference then follows the latest version of the secret.
output sendGridApiKeySecretUri string = sendGridSecret.?properties.secretUri ?? ''
output linkSigningKeySecretUri string = linkSigningSecret.properties.secretUri

// Every secret read (the app's Key Vault references included) and every change is audited in Log Analytics.
// 2021-05-01-preview is the newest version of diagnostic settings there is; the linter asks for a newer one.
#disable-next-line use-recent-api-versions
resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}
