using System.Text.Json.Nodes;

namespace Supervision.Infra.Tests.Infra;

/// <summary>
/// The <c>privateNetworking</c> parameter, on the deployments Bicep predicts for each value: off changes nothing of the
/// public deployment; on, storage and Key Vault refuse public networks and the app reaches them through private
/// endpoints from the virtual network it joins, while contractors' uploads go to a public account of their own.
/// </summary>
public class PrivateNetworkingTests
{
    private const string StorageAccount = "Microsoft.Storage/storageAccounts";
    private const string KeyVault = "Microsoft.KeyVault/vaults";
    private const string Site = "Microsoft.Web/sites";
    private const string UploadsSetting = "Supervision__Storage__UploadsBlobServiceUri";

    private static readonly Lazy<Task<IReadOnlyList<JsonObject>>> Off = new(() => DeploymentSnapshot.Public);

    private static readonly Lazy<Task<IReadOnlyList<JsonObject>>> On = new(() => DeploymentSnapshot.Private);

    [Fact]
    public async Task PrivateNetworkingOff_TheDefault_LeavesStorageAndKeyVaultPublic_AndDeploysNoNetwork()
    {
        IReadOnlyList<JsonObject> off = await Off.Value;

        Assert.DoesNotContain(off, resource => Type(resource).StartsWith("Microsoft.Network/", StringComparison.Ordinal));
        foreach (string type in new[] { StorageAccount, KeyVault })
        {
            JsonObject properties = Properties(Assert.Single(off, resource => Type(resource) == type));
            Assert.Equal("Enabled", (string?)properties["publicNetworkAccess"]);
            Assert.Equal("Allow", (string?)properties["networkAcls"]!["defaultAction"]);
        }

        Assert.Null(Properties(Assert.Single(off, resource => Type(resource) == Site))["virtualNetworkSubnetId"]);
        Assert.False(AppSettings(off).ContainsKey(UploadsSetting));
    }

    [Fact]
    public async Task PrivateNetworkingOn_ChangesNothingButTheNetwork_PublicAccess_TheAppsSubnet_AndTheUploadsAccount()
    {
        IReadOnlyList<JsonObject> off = await Off.Value;
        IReadOnlyList<JsonObject> on = await On.Value;
        string uploads = await UploadsAccountIdAsync();

        JsonObject[] withoutNetwork = [.. on
            .Where(resource => !Type(resource).StartsWith("Microsoft.Network/", StringComparison.Ordinal))
            .Where(resource => !IsOnAccount(resource, uploads))
            .Select(Clone)];
        foreach (JsonObject resource in withoutNetwork.Where(resource => Type(resource) is StorageAccount or KeyVault))
        {
            Properties(resource)["publicNetworkAccess"] = "Enabled";
            Properties(resource)["networkAcls"]!["defaultAction"] = "Allow";
        }

        Properties(Assert.Single(withoutNetwork, resource => Type(resource) == Site))["virtualNetworkSubnetId"] = null;
        Assert.True(AppSettings(withoutNetwork).Remove(UploadsSetting));
        Assert.Equal(off.Select(resource => resource.ToJsonString()), withoutNetwork.Select(resource => resource.ToJsonString()));
    }

    [Fact]
    public async Task PrivateNetworkingOn_StorageAndKeyVault_RefusePublicNetworks()
    {
        IReadOnlyList<JsonObject> on = await On.Value;
        string uploads = await UploadsAccountIdAsync();

        foreach (string type in new[] { StorageAccount, KeyVault })
        {
            JsonObject properties = Properties(Assert.Single(on, resource => Type(resource) == type && (string)resource["id"]! != uploads));
            Assert.Equal("Disabled", (string?)properties["publicNetworkAccess"]);
            Assert.Equal("Deny", (string?)properties["networkAcls"]!["defaultAction"]);
        }
    }

    [Fact]
    public async Task PrivateNetworkingOn_UploadsGoToAnAccountOfTheirOwn_PublicButHttpsTls12AndEntraIdOnly_HoldingOnlyTheUploadsContainer()
    {
        IReadOnlyList<JsonObject> on = await On.Value;
        string uploads = await UploadsAccountIdAsync();
        JsonObject account = Assert.Single(on, resource => (string)resource["id"]! == uploads);
        JsonObject main = Assert.Single(on, resource => Type(resource) == StorageAccount && (string)resource["id"]! != uploads);
        JsonObject properties = Properties(account);

        Assert.Equal("Enabled", (string?)properties["publicNetworkAccess"]);
        Assert.Equal("Allow", (string?)properties["networkAcls"]!["defaultAction"]);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.Equal((bool)Properties(main)["allowSharedKeyAccess"]!, (bool)properties["allowSharedKeyAccess"]!);
        Assert.True((bool)properties["defaultToOAuthAuthentication"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.Equal(main["sku"]!.ToJsonString(), account["sku"]!.ToJsonString());

        string[] under = [.. on.Where(resource => IsOnAccount(resource, uploads) && (string)resource["id"]! != uploads).Select(Type).Order(StringComparer.Ordinal)];
        Assert.Equal(
            ["Microsoft.Authorization/roleAssignments", "Microsoft.Insights/diagnosticSettings", "Microsoft.Storage/storageAccounts/blobServices",
             "Microsoft.Storage/storageAccounts/blobServices/containers", "Microsoft.Storage/storageAccounts/managementPolicies"],
            under);
        JsonObject container = Assert.Single(on, resource => IsOnAccount(resource, uploads) && Type(resource) == "Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.EndsWith("/blobServices/default/containers/uploads", (string)container["id"]!, StringComparison.Ordinal);
        Assert.Equal("None", (string?)Properties(container)["publicAccess"]);
        Assert.DoesNotContain(on, resource => Type(resource) == "Microsoft.Network/privateEndpoints" && resource.ToJsonString().Contains(uploads, StringComparison.Ordinal));
        Assert.Contains(on, resource => Type(resource) == "Microsoft.Insights/diagnosticSettings" && IsOnAccount(resource, uploads) && Properties(resource)["logs"]!.ToJsonString().Contains("StorageWrite", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivateNetworkingOn_TheUploadsAccount_HasTheMainAccountsCorsAndLifecycleRules()
    {
        IReadOnlyList<JsonObject> on = await On.Value;
        string uploads = await UploadsAccountIdAsync();
        JsonObject Of(string type, bool uploadsAccount) => Properties(Assert.Single(on, resource => Type(resource) == type && IsOnAccount(resource, uploads) == uploadsAccount));

        JsonNode cors = Of("Microsoft.Storage/storageAccounts/blobServices", uploadsAccount: true)["cors"]!;
        Assert.Equal(Of("Microsoft.Storage/storageAccounts/blobServices", uploadsAccount: false)["cors"]!.ToJsonString(), cors.ToJsonString());
        Assert.Equal(["OPTIONS", "PUT"], Assert.Single(cors["corsRules"]!.AsArray())!["allowedMethods"]!.AsArray().Select(method => (string)method!).Order());
        Assert.Equal(
            Of("Microsoft.Storage/storageAccounts/managementPolicies", uploadsAccount: false).ToJsonString(),
            Of("Microsoft.Storage/storageAccounts/managementPolicies", uploadsAccount: true).ToJsonString());
    }

    [Fact]
    public async Task PrivateNetworkingOn_TheAppsIdentity_IsStorageBlobDataContributorOnTheUploadsAccount_AndNothingMore()
    {
        IReadOnlyList<JsonObject> on = await On.Value;
        string uploads = await UploadsAccountIdAsync();
        JsonObject[] assignments = [.. on.Where(resource => Type(resource) == "Microsoft.Authorization/roleAssignments")];
        string identity = (string)Properties(assignments.First(assignment => !IsOnAccount(assignment, uploads)))["principalId"]!;

        // Signs the upload SAS (a user delegation key), reads and deletes uploads; no ownership, no other account.
        JsonObject contributor = Properties(Assert.Single(assignments, assignment => IsOnAccount(assignment, uploads)));
        Assert.EndsWith("/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0dc17ac1", (string)contributor["roleDefinitionId"]!, StringComparison.Ordinal);
        Assert.Equal(identity, (string)contributor["principalId"]!);
        Assert.Equal("ServicePrincipal", (string?)contributor["principalType"]);
    }

    [Fact]
    public async Task PrivateNetworkingOn_TheAppIsToldTheUploadsAccountsBlobEndpoint()
    {
        IReadOnlyList<JsonObject> on = await On.Value;
        string uploads = await UploadsAccountIdAsync();

        string setting = (string)AppSettings(on)[UploadsSetting]!;
        Assert.StartsWith($"[reference('{uploads}', ", setting, StringComparison.Ordinal);
        Assert.EndsWith(").primaryEndpoints.blob]", setting, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateNetworkingOn_BlobTableQueueAndVault_HaveAPrivateEndpoint_ResolvedByAPrivateZoneLinkedToTheNetwork()
    {
        IReadOnlyList<JsonObject> on = await On.Value;
        string network = (string)Assert.Single(on, resource => Type(resource) == "Microsoft.Network/virtualNetworks")["id"]!;
        JsonObject[] endpoints = [.. on.Where(resource => Type(resource) == "Microsoft.Network/privateEndpoints")];
        JsonObject[] zoneGroups = [.. on.Where(resource => Type(resource) == "Microsoft.Network/privateEndpoints/privateDnsZoneGroups")];
        JsonObject[] zoneLinks = [.. on.Where(resource => Type(resource) == "Microsoft.Network/privateDnsZones/virtualNetworkLinks")];

        Dictionary<string, string> targetByGroup = endpoints
            .Select(endpoint => Assert.Single(Properties(endpoint)["privateLinkServiceConnections"]!.AsArray())!["properties"]!)
            .ToDictionary(connection => (string)Assert.Single(connection["groupIds"]!.AsArray())!, connection => (string)connection["privateLinkServiceId"]!);
        Assert.Equal(["blob", "queue", "table", "vault"], targetByGroup.Keys.Order());
        Assert.All(["blob", "queue", "table"], group => Assert.Contains("/providers/Microsoft.Storage/storageAccounts/", targetByGroup[group], StringComparison.Ordinal));
        Assert.Contains("/providers/Microsoft.KeyVault/vaults/", targetByGroup["vault"], StringComparison.Ordinal);
        Assert.All(endpoints, endpoint => Assert.EndsWith("/subnets/private-endpoints", (string)Properties(endpoint)["subnet"]!["id"]!, StringComparison.Ordinal));

        Assert.Equal(endpoints.Length, zoneGroups.Length);
        foreach (string group in targetByGroup.Keys)
        {
            string zone = group == "vault" ? "privatelink.vaultcore.azure.net" : $"privatelink.{group}.";
            JsonObject zoneGroup = Assert.Single(zoneGroups, candidate => Assert.Single(Properties(candidate)["privateDnsZoneConfigs"]!.AsArray())!["name"]!.ToString() == group);
            Assert.Contains(zone, zoneGroup.ToJsonString(), StringComparison.Ordinal);
            JsonObject link = Assert.Single(zoneLinks, candidate => ((string)candidate["name"]!).Contains(zone, StringComparison.Ordinal));
            Assert.Equal(network, (string)Properties(link)["virtualNetwork"]!["id"]!);
            Assert.False((bool)Properties(link)["registrationEnabled"]!);
        }
    }

    [Fact]
    public async Task PrivateNetworkingOn_TheAppJoinsTheNetwork_ThroughASubnetDelegatedToFlexConsumption()
    {
        IReadOnlyList<JsonObject> on = await On.Value;
        JsonObject network = Assert.Single(on, resource => Type(resource) == "Microsoft.Network/virtualNetworks");
        JsonNode appSubnet = Assert.Single(Properties(network)["subnets"]!.AsArray(), subnet => (string)subnet!["name"]! == "app")!;

        Assert.Equal("Microsoft.App/environments", (string?)Assert.Single(appSubnet["properties"]!["delegations"]!.AsArray())!["properties"]!["serviceName"]);
        Assert.Equal($"{network["id"]}/subnets/app", (string?)Properties(Assert.Single(on, resource => Type(resource) == Site))["virtualNetworkSubnetId"]);
    }

    /// <summary>The id of the storage account that private networking adds: the one the public deployment has not.</summary>
    private static async Task<string> UploadsAccountIdAsync()
    {
        HashSet<string> offAccounts = [.. (await Off.Value).Where(resource => Type(resource) == StorageAccount).Select(resource => (string)resource["id"]!)];
        return (string)Assert.Single(await On.Value, resource => Type(resource) == StorageAccount && !offAccounts.Contains((string)resource["id"]!))["id"]!;
    }

    /// <summary>The account itself, anything under it, and any role assignment or diagnostic setting on it.</summary>
    private static bool IsOnAccount(JsonObject resource, string accountId)
    {
        string id = (string)resource["id"]!;
        return id == accountId
            || id.StartsWith(accountId + "/", StringComparison.Ordinal)
            || id.Contains($"'{accountId}'", StringComparison.Ordinal);
    }

    private static JsonObject AppSettings(IEnumerable<JsonObject> resources) =>
        Properties(Assert.Single(resources, resource => Type(resource) == "Microsoft.Web/sites/config" && ((string)resource["name"]!).EndsWith("/appsettings", StringComparison.Ordinal)));

    private static string Type(JsonObject resource) => (string)resource["type"]!;

    private static JsonObject Properties(JsonObject resource) => resource["properties"]!.AsObject();

    private static JsonObject Clone(JsonObject resource) => resource.DeepClone().AsObject();
}
