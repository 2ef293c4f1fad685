using System.Text.Json.Nodes;

namespace Supervision.Infra.Tests.Infra.App;

/// <summary>The main storage account (<c>app/storage.bicep</c>); the uploads account of private networking is in <see cref="PrivateNetworkingTests"/>.</summary>
public class StorageBicepTests
{
    private const string Module = "storage";
    private const string StorageAccount = "Microsoft.Storage/storageAccounts";
    private const string ImmutabilityPolicy = "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies";

    [Fact]
    public async Task Storage_DisallowsSharedKeyAccess()
    {
        ArmResource storage = await CompiledTemplate.SingleResourceAsync(StorageAccount, Module);

        Assert.False(storage.Properties["allowSharedKeyAccess"]?.GetValue<bool>() ?? true);
    }

    [Fact]
    public async Task BlobService_LetsOnlyCreateOnlyUploadsCrossOrigins()
    {
        ArmResource blobService = await CompiledTemplate.SingleResourceAsync("Microsoft.Storage/storageAccounts/blobServices", Module);
        JsonNode rule = Assert.Single(blobService.Properties["cors"]!["corsRules"]!.AsArray())!;

        Assert.Equal(["OPTIONS", "PUT"], rule["allowedMethods"]!.AsArray().Select(method => method!.ToString()).Order());
        Assert.Contains("x-ms-blob-type", rule["allowedHeaders"]!.AsArray().Select(header => header!.ToString()));
        Assert.Contains("uploadOrigins", rule["allowedOrigins"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_RequiresTls12()
    {
        ArmResource storage = await CompiledTemplate.SingleResourceAsync(StorageAccount, Module);

        Assert.Equal("TLS1_2", storage.Properties["minimumTlsVersion"]?.ToString());
        Assert.True(storage.Properties["supportsHttpsTrafficOnly"]?.GetValue<bool>());
    }

    [Fact]
    public async Task Storage_DisallowsPublicBlobAccess()
    {
        ArmResource storage = await CompiledTemplate.SingleResourceAsync(StorageAccount, Module);

        Assert.False(storage.Properties["allowBlobPublicAccess"]?.GetValue<bool>() ?? true);
    }

    [Fact]
    public async Task BlobService_KeepsVersionsDeletedBlobsAndChangeFeed()
    {
        ArmResource blobService = await CompiledTemplate.SingleResourceAsync("Microsoft.Storage/storageAccounts/blobServices", Module);
        JsonObject properties = blobService.Properties;

        Assert.True(properties["isVersioningEnabled"]?.GetValue<bool>());
        Assert.True(properties["deleteRetentionPolicy"]?["enabled"]?.GetValue<bool>());
        Assert.True(properties["containerDeleteRetentionPolicy"]?["enabled"]?.GetValue<bool>());
        Assert.True(properties["changeFeed"]?["enabled"]?.GetValue<bool>());
    }

    [Fact]
    public async Task EvidenceContainer_HasImmutabilityPolicy()
    {
        IReadOnlyList<ArmResource> policies = await CompiledTemplate.ResourcesAsync(ImmutabilityPolicy);

        ArmResource evidence = Assert.Single(policies, policy => policy.Name.Contains("'evidence'", StringComparison.Ordinal));
        Assert.NotNull(evidence.Properties["immutabilityPeriodSinceCreationInDays"]);
        Assert.False(evidence.Properties["allowProtectedAppendWrites"]?.GetValue<bool>() ?? true);
    }

    [Fact]
    public async Task EvidenceRetention_DefaultsToTenYears()
    {
        JsonObject root = await CompiledTemplate.RootAsync();
        JsonNode parameter = root["parameters"]!["evidenceRetentionDays"]!;

        Assert.Equal(3650, parameter["defaultValue"]!.GetValue<int>());
        Assert.True(parameter["minValue"]!.GetValue<int>() >= 1);
    }

    [Theory]
    [InlineData("'deployment'")]
    [InlineData("'evidence'")]
    public async Task BlobContainer_IsPrivate(string container)
    {
        IReadOnlyList<ArmResource> containers = await CompiledTemplate.ResourcesAsync("Microsoft.Storage/storageAccounts/blobServices/containers");

        ArmResource found = Assert.Single(containers, candidate => candidate.Name.Contains(container, StringComparison.Ordinal));
        Assert.Equal("None", found.Properties["publicAccess"]?.ToString());
    }

    [Fact]
    public async Task AbandonedUploads_AreDeleted30DaysAfterTheyWereWritten_WithTheirSnapshots_AndNothingElseIs()
    {
        ArmResource policy = await CompiledTemplate.SingleResourceAsync("Microsoft.Storage/storageAccounts/managementPolicies", Module);
        JsonNode rule = Assert.Single(policy.Properties["policy"]!["rules"]!.AsArray())!;

        Assert.Equal("uploads/", Assert.Single(rule["definition"]!["filters"]!["prefixMatch"]!.AsArray())!.ToString());
        Assert.Equal(["blockBlob", "appendBlob"], rule["definition"]!["filters"]!["blobTypes"]!.AsArray().Select(type => type!.ToString()));
        Assert.Equal(30, rule["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!.GetValue<int>());
        Assert.Equal(30, rule["definition"]!["actions"]!["snapshot"]!["delete"]!["daysAfterCreationGreaterThan"]!.GetValue<int>());
    }

    [Fact]
    public async Task Storage_IsZoneRedundant_UnlessTheOperatorChoosesLocallyRedundant()
    {
        JsonObject root = await CompiledTemplate.RootAsync();
        JsonObject parameter = root["parameters"]!["storageSku"]!.AsObject();

        Assert.Equal("Standard_ZRS", parameter["defaultValue"]!.ToString());
        Assert.Equal(["Standard_ZRS", "Standard_LRS"], parameter["allowedValues"]!.AsArray().Select(value => value!.ToString()));
    }

    [Fact]
    public async Task Storage_DeclaresTheAppTables()
    {
        ArmResource tables = await CompiledTemplate.SingleResourceAsync("Microsoft.Storage/storageAccounts/tableServices/tables");
        JsonArray names = tables.Template["variables"]!["tableNames"]!.AsArray();

        Assert.Equal(
            ["Engagements", "Outbox", "Portfolio", "Registry"],
            names.Select(name => name!.ToString()));
    }
}
