// Social Media Checks on Azure: the web app (several instances) with its user-assigned managed
// identity, the Azure Bot with the Teams channel, PostgreSQL Flexible Server, Key Vault holding
// every secret (app settings are Key Vault references), Log Analytics and Application Insights.
// Deployed by m365agents.yml (arm/deploy) with azure.parameters.json; see docs/deploy.md.
//
// Resource API versions (all documented in the Azure resource reference, learn.microsoft.com/azure/templates):
//   Microsoft.ManagedIdentity/userAssignedIdentities 2023-01-31
//   Microsoft.OperationalInsights/workspaces          2022-10-01
//   Microsoft.Insights/components                    2020-02-02
//   Microsoft.KeyVault/vaults (+ /secrets)           2023-07-01
//   Microsoft.Authorization/roleAssignments          2022-04-01
//   Microsoft.DBforPostgreSQL/flexibleServers (+ /databases) 2024-08-01
//   Microsoft.Network/virtualNetworks                2023-11-01
//   Microsoft.Network/privateDnsZones (+ /virtualNetworkLinks) 2020-06-01
//   Microsoft.Web/serverfarms, Microsoft.Web/sites   2023-12-01
//   Microsoft.BotService/botServices (+ /channels)   2022-09-15
//   Microsoft.Insights/diagnosticSettings            2021-05-01-preview
//
// PostgreSQL has no public endpoint: it lives in a subnet of its own virtual network, reached only
// by the web app through regional virtual network integration. The "allow Azure services" firewall
// rule would let "all connections from Azure, including connections from the subscriptions of
// other customers" reach it (Azure Database for PostgreSQL, public access networking).

@maxLength(20)
@minLength(4)
@description('Prefix for every resource name.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU: P1v3 or larger for production.')
param webAppSku string = 'P1v3'

@minValue(2)
@description('Instances of the web app; at least two, which share the PostgreSQL database.')
param instanceCount int = 2

@description('Client id of the Teams tab single sign-on app registration (aad.manifest.json).')
param teamsAppClientId string

@description('Client id of the bot app registration (single tenant).')
param botAppId string

@secure()
@description('Client secret of the bot app registration; stored in Key Vault only.')
param botAppPassword string

@description('Display name of the Azure Bot.')
param botDisplayName string = 'Social Media Checks'

@description('Client id of the app registration that reads and writes the SharePoint evidence library and installs the app (Sites.Selected, TeamsAppInstallation.ReadWriteForUser.All).')
param graphAppClientId string

@secure()
@description('Its client secret; stored in Key Vault only.')
param graphAppClientSecret string

@description('SharePoint site id of the restricted evidence site (npm run provision:sharepoint prints it).')
param sharePointSiteId string

@description('Drive id of the evidence library.')
param sharePointDriveId string

@description('Teams app id in the organisation\'s app catalog, for installing the app for people who have not (empty: not installed by the app).')
param teamsAppCatalogId string = ''

@description('The Teams app (manifest) id: card links are Teams deep links to its personal tab.')
param teamsAppId string

@description('Object ids of the Entra ID security groups, one per role (docs/tenant-setup.md).')
param roleGroupSocialWorker string
param roleGroupTeamManager string
param roleGroupServiceManager string
param roleGroupServiceDirector string
param roleGroupAccessWorker string
param roleGroupAdministrator string

@description('User principal names or object ids of the first administrators, comma-separated.')
param bootstrapAdministrators string

@secure()
@description('Ed25519 private key (PEM) that signs the audit chain\'s checkpoints; stored in Key Vault only, never in the database.')
param auditSigningKey string

param postgresAdminLogin string = 'smcadmin'

@secure()
@description('PostgreSQL administrator password; stored in Key Vault (inside DATABASE_URL) only.')
param postgresAdminPassword string

@description('PostgreSQL Flexible Server compute: Standard_D2ds_v4 (General Purpose) for production.')
param postgresSkuName string = 'Standard_D2ds_v4'

@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string = 'GeneralPurpose'

@minValue(7)
@maxValue(35)
@description('Days of point-in-time restore.')
param postgresBackupRetentionDays int = 35

@allowed(['Enabled', 'Disabled'])
param postgresGeoRedundantBackup string = 'Enabled'

@description('Address space of the virtual network the web app and PostgreSQL share.')
param vnetAddressPrefix string = '10.60.0.0/16'

@description('Subnet the web app reaches the network from (delegated to App Service).')
param webSubnetPrefix string = '10.60.1.0/24'

@description('Subnet PostgreSQL lives in (delegated to PostgreSQL Flexible Server).')
param postgresSubnetPrefix string = '10.60.2.0/24'

var tenantId = tenant().tenantId
var webAppName = '${resourceBaseName}-web'
// Known before the deployment, so the SSO registration's URI needs no output of this deployment.
var webAppDomain = '${webAppName}.azurewebsites.net'
var keyVaultName = '${resourceBaseName}-kv'
var databaseName = 'smc'
var kvSecretsUserRole = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
  }
}

resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, kvSecretsUserRole)
  scope: vault
  properties: {
    roleDefinitionId: kvSecretsUserRole
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: '${resourceBaseName}-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: [vnetAddressPrefix] }
    subnets: [
      {
        name: 'web'
        properties: {
          addressPrefix: webSubnetPrefix
          delegations: [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }]
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [{ name: 'postgres', properties: { serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers' } }]
        }
      }
    ]
  }
}

// A server in a virtual network needs a private DNS zone whose name ends in .postgres.database.azure.com.
resource postgresDns 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${resourceBaseName}.private.postgres.database.azure.com'
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: postgresDns
  name: '${resourceBaseName}-vnet'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${resourceBaseName}-pg'
  location: location
  sku: { name: postgresSkuName, tier: postgresSkuTier }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: 64 }
    backup: { backupRetentionDays: postgresBackupRetentionDays, geoRedundantBackup: postgresGeoRedundantBackup }
    highAvailability: { mode: 'Disabled' }
    authConfig: { passwordAuth: 'Enabled', activeDirectoryAuth: 'Disabled' }
    network: {
      delegatedSubnetResourceId: '${vnet.id}/subnets/postgres'
      privateDnsZoneArmResourceId: postgresDns.id
      publicNetworkAccess: 'Disabled'
    }
  }
  dependsOn: [postgresDnsLink]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: { charset: 'UTF8', collation: 'en_US.utf8' }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: {
    value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-app-password'
  properties: { value: botAppPassword }
}

resource auditKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'audit-signing-key'
  properties: { value: auditSigningKey }
}

resource graphSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'graph-app-client-secret'
  properties: { value: graphAppClientSecret }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: { name: webAppSku, capacity: instanceCount }
  properties: { reserved: true }
}

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Every instance can answer every request (nothing is kept between requests): no ARR affinity cookie.
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    // Outbound traffic, PostgreSQL's included, goes through the virtual network.
    virtualNetworkSubnetId: '${vnet.id}/subnets/web'
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'npm run start:prod'
      alwaysOn: true
      vnetRouteAllEnabled: true
      // Answers 503 when the database cannot be reached: "the Health check endpoint should connect
      // to those components" (App Service health check).
      healthCheckPath: '/api/health/ready'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        { name: 'NODE_ENV', value: 'production' }
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'PUBLIC_URL', value: 'https://${webAppDomain}' }
        { name: 'DATA_DIR', value: '/tmp/smc' }
        { name: 'DATABASE_URL', value: '@Microsoft.KeyVault(SecretUri=${databaseUrlSecret.properties.secretUri})' }
        { name: 'DATABASE_POOL_SIZE', value: '20' }
        { name: 'AUTH_MODE', value: 'teams' }
        { name: 'TEAMS_APP_CLIENT_ID', value: teamsAppClientId }
        { name: 'TEAMS_ALLOWED_TENANT_IDS', value: tenantId }
        { name: 'BOT_APP_ID', value: botAppId }
        { name: 'BOT_APP_PASSWORD', value: '@Microsoft.KeyVault(SecretUri=${botPasswordSecret.properties.secretUri})' }
        { name: 'BOT_TENANT_ID', value: tenantId }
        { name: 'TEAMS_APP_CATALOG_ID', value: teamsAppCatalogId }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        { name: 'BOT_APP_TYPE', value: 'SingleTenant' }
        { name: 'ROLE_GROUP_SOCIAL_WORKER', value: roleGroupSocialWorker }
        { name: 'ROLE_GROUP_TEAM_MANAGER', value: roleGroupTeamManager }
        { name: 'ROLE_GROUP_SERVICE_MANAGER', value: roleGroupServiceManager }
        { name: 'ROLE_GROUP_SERVICE_DIRECTOR', value: roleGroupServiceDirector }
        { name: 'ROLE_GROUP_ACCESS_WORKER', value: roleGroupAccessWorker }
        { name: 'ROLE_GROUP_ADMINISTRATOR', value: roleGroupAdministrator }
        { name: 'BOOTSTRAP_ADMINISTRATORS', value: bootstrapAdministrators }
        { name: 'AUDIT_SIGNING_KEY', value: '@Microsoft.KeyVault(SecretUri=${auditKeySecret.properties.secretUri})' }
        { name: 'EVIDENCE_STORE', value: 'sharepoint' }
        { name: 'SHAREPOINT_SITE_ID', value: sharePointSiteId }
        { name: 'SHAREPOINT_DRIVE_ID', value: sharePointDriveId }
        { name: 'AZURE_TENANT_ID', value: tenantId }
        { name: 'AZURE_CLIENT_ID', value: graphAppClientId }
        { name: 'AZURE_CLIENT_SECRET', value: '@Microsoft.KeyVault(SecretUri=${graphSecret.properties.secretUri})' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'LOG_LEVEL', value: 'info' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'WEBSITE_HEALTHCHECK_MAXPINGFAILURES', value: '3' }
      ]
    }
  }
  // The identity must be able to read the secrets before the references are resolved.
  dependsOn: [vaultReader, database]
}

// "Azure resources generate resource logs automatically, but you must create a diagnostic setting
// to collect them" (Azure Monitor): the runbook's queries read these tables.
resource webDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: web
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logs.id
    logs: [{ category: 'AuditEvent', enabled: true }]
  }
}

resource postgresDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: postgres
  properties: {
    workspaceId: logs.id
    logs: [{ category: 'PostgreSQLLogs', enabled: true }]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'S1' }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: { channelName: 'MsTeamsChannel' }
}

output WEB_APP_RESOURCE_ID string = web.id
output WEB_APP_DOMAIN string = web.properties.defaultHostName
// The manifests' ${{APP_DOMAIN}} (aadApp/update and the app package run after this deployment).
output APP_DOMAIN string = webAppDomain
output WEB_APP_ENDPOINT string = 'https://${web.properties.defaultHostName}'
output KEY_VAULT_NAME string = vault.name
output POSTGRES_SERVER_NAME string = postgres.name
output APPLICATION_INSIGHTS_NAME string = insights.name
