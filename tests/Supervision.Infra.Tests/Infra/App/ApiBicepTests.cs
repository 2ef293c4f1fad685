using System.Text.Json.Nodes;

namespace Supervision.Infra.Tests.Infra.App;

public class ApiBicepTests
{
    private const string KeyVaultReference = "@Microsoft.KeyVault(SecretUri=";

    private static async Task<ArmResource> FunctionAppAsync() =>
        await CompiledTemplate.SingleResourceAsync("Microsoft.Web/sites");

    /// <summary>
    /// The app settings of the public deployment, as Bicep evaluates them: the template merges them from parts (the
    /// uploads account's only with private networking, see PrivateNetworkingTests), which it compiles to one expression.
    /// </summary>
    private static async Task<JsonObject> AppSettingsAsync()
    {
        IReadOnlyList<JsonObject> resources = await DeploymentSnapshot.Public;
        JsonObject appSettings = Assert.Single(resources, resource =>
            (string?)resource["type"] == "Microsoft.Web/sites/config" && ((string)resource["name"]!).EndsWith("/appsettings", StringComparison.Ordinal));
        return appSettings["properties"]!.AsObject();
    }

    [Fact]
    public async Task AppServiceAuthentication_WithEntraId_Returns401ForEveryRouteButTheContractorsLinksHealthAndTheOpenApiDocument()
    {
        IReadOnlyList<ArmResource> configs = await CompiledTemplate.ResourcesAsync("Microsoft.Web/sites/config");
        ArmResource auth = Assert.Single(configs, config => config.Name.Contains("'authsettingsV2'", StringComparison.Ordinal));
        JsonNode? validation = auth.Properties["globalValidation"];
        JsonNode? entra = auth.Properties["identityProviders"]?["azureActiveDirectory"];

        Assert.True(auth.Properties["platform"]?["enabled"]?.GetValue<bool>());
        Assert.True(validation?["requireAuthentication"]?.GetValue<bool>());
        Assert.Equal("Return401", validation?["unauthenticatedClientAction"]?.ToString());
        Assert.Equal(["/vendor/*", "/api/vendor/*", "/api/health", "/api/openapi.json"], validation?["excludedPaths"]?.AsArray().Select(path => path!.ToString()));
        Assert.True(entra?["enabled"]?.GetValue<bool>());
        Assert.Contains("authClientId", entra?["registration"]?["clientId"]?.ToString(), StringComparison.Ordinal);
        Assert.Contains("api://", entra?["validation"]?["allowedAudiences"]?.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BasicPublishingCredentials_AreOff_ForFtpAndScm()
    {
        IReadOnlyList<ArmResource> policies = await CompiledTemplate.ResourcesAsync("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False(policy.Properties["allow"]?.GetValue<bool>()));
    }

    [Fact]
    public async Task FunctionAppLogs_StorageLogs_AndKeyVaultAudit_GoToLogAnalytics()
    {
        IReadOnlyList<ArmResource> settings = await CompiledTemplate.ResourcesAsync("Microsoft.Insights/diagnosticSettings");
        string[] categories = [.. settings.SelectMany(setting => Logs(setting).Select(log => log!["category"]!.ToString()))];

        // The uploads account's blob service (private networking only) is the sixth.
        Assert.Equal(6, settings.Count);
        Assert.All(settings, setting => Assert.Contains("logAnalyticsWorkspaceId", setting.Properties["workspaceId"]?.ToString(), StringComparison.Ordinal));
        Assert.Contains("FunctionAppLogs", categories);
        Assert.Contains("AuditEvent", categories);
        Assert.Equal(4, categories.Count(category => category == "StorageWrite"));
    }

    /// <summary>A setting's log categories, inline or in a template variable (<c>[variables('name')]</c>).</summary>
    private static JsonArray Logs(ArmResource setting)
    {
        JsonNode logs = setting.Properties["logs"]!;
        if (logs is JsonArray inline)
            return inline;
        string reference = logs.ToString();
        string name = reference["[variables('".Length..^"')]".Length];
        return setting.Template["variables"]![name]!.AsArray();
    }

    [Fact]
    public async Task FunctionApp_RunsOnFlexConsumption()
    {
        ArmResource plan = await CompiledTemplate.SingleResourceAsync("Microsoft.Web/serverfarms");
        ArmResource site = await FunctionAppAsync();

        Assert.Equal("FlexConsumption", plan.Resource["sku"]?["tier"]?.ToString());
        Assert.Equal("FC1", plan.Resource["sku"]?["name"]?.ToString());
        Assert.True(plan.Properties["reserved"]?.GetValue<bool>());
        Assert.Equal("functionapp,linux", site.Resource["kind"]?.ToString());
        Assert.NotNull(site.Properties["functionAppConfig"]);
    }

    [Fact]
    public async Task FunctionApp_RunsDotnetIsolated10()
    {
        ArmResource site = await FunctionAppAsync();
        JsonNode? runtime = site.Properties["functionAppConfig"]?["runtime"];

        Assert.Equal("dotnet-isolated", runtime?["name"]?.ToString());
        Assert.Equal("10.0", runtime?["version"]?.ToString());
    }

    [Fact]
    public async Task FunctionApp_UsesUserAssignedIdentity()
    {
        ArmResource site = await FunctionAppAsync();

        Assert.Equal("UserAssigned", site.Resource["identity"]?["type"]?.ToString());
        Assert.Single(site.Resource["identity"]?["userAssignedIdentities"]?.AsObject() ?? []);
        Assert.Contains("userAssignedIdentities", site.Properties["keyVaultReferenceIdentity"]?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionApp_ReadsItsPackageThroughTheIdentity()
    {
        ArmResource site = await FunctionAppAsync();
        JsonNode? storage = site.Properties["functionAppConfig"]?["deployment"]?["storage"];

        Assert.Equal("blobContainer", storage?["type"]?.ToString());
        Assert.Equal("UserAssignedIdentity", storage?["authentication"]?["type"]?.ToString());
    }

    [Fact]
    public async Task FunctionApp_AcceptsHttpsOnlyWithTls12AndNoFtp()
    {
        ArmResource site = await FunctionAppAsync();
        JsonNode? siteConfig = site.Properties["siteConfig"];

        Assert.True(site.Properties["httpsOnly"]?.GetValue<bool>());
        Assert.Equal("1.2", siteConfig?["minTlsVersion"]?.ToString());
        Assert.Equal("Disabled", siteConfig?["ftpsState"]?.ToString());
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("AzureWebJobsStorage__blobServiceUri")]
    [InlineData("AzureWebJobsStorage__queueServiceUri")]
    [InlineData("AzureWebJobsStorage__tableServiceUri")]
    public async Task FunctionApp_ReachesStorageThroughIdentity(string setting)
    {
        JsonObject settings = await AppSettingsAsync();

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]?.ToString());
        Assert.NotNull(settings[setting]);
    }

    [Fact]
    public async Task FunctionApp_HasNoStorageConnectionString()
    {
        JsonObject settings = await AppSettingsAsync();
        ArmResource site = await FunctionAppAsync();

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"));
        Assert.Null(site.Properties["siteConfig"]?["appSettings"]);
        Assert.DoesNotContain(
            settings,
            setting => (setting.Value?.ToString() ?? string.Empty).Contains("AccountKey", StringComparison.OrdinalIgnoreCase)
                || (setting.Value?.ToString() ?? string.Empty).Contains("listKeys", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FunctionApp_SendsTelemetryWithEntraId()
    {
        JsonObject settings = await AppSettingsAsync();

        Assert.NotNull(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionApp_ReadsSendGridKeyFromKeyVault()
    {
        JsonObject settings = await AppSettingsAsync();

        Assert.Contains(KeyVaultReference, settings["Supervision__Mail__SendGridApiKey"]?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionApp_ReadsLinkSigningKeyFromKeyVault()
    {
        JsonObject settings = await AppSettingsAsync();

        Assert.Contains(KeyVaultReference, settings["Supervision__Links__SigningKeys__0"]?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TaskHubName")]
    [InlineData("Supervision__Storage__BlobServiceUri")]
    [InlineData("Supervision__Storage__TableServiceUri")]
    [InlineData("Supervision__Storage__ManagedIdentityClientId")]
    [InlineData("Supervision__Mail__From")]
    public async Task FunctionApp_ConfiguresTheApp(string setting)
    {
        JsonObject settings = await AppSettingsAsync();

        Assert.NotNull(settings[setting]);
    }

    [Fact]
    public async Task FunctionApp_IsTaggedForAzdServiceApi()
    {
        ArmResource site = await FunctionAppAsync();

        Assert.Contains("'azd-service-name', 'api'", site.Resource["tags"]?.ToString(), StringComparison.Ordinal);
    }
}
