using System.Text.Json.Nodes;

namespace Supervision.Infra.Tests.Infra;

/// <summary>
/// The <c>privateNetworking</c> parameter, on the deployments Bicep predicts for each value: off changes nothing of the
/// public deployment; on, storage and Key Vault refuse public networks and the app reaches them through private
/// endpoints from the virtual network it joins.
/// </summary>
public class PrivateNetworkingTests
{
    private const string StorageAccount = "Microsoft.Storage/storageAccounts";
    private const string KeyVault = "Microsoft.KeyVault/vaults";
    private const string Site = "Microsoft.Web/sites";

    private static readonly Lazy<Task<IReadOnlyList<JsonObject>>> Off =
        new(() => DeploymentSnapshot.ResourcesAsync(new Dictionary<string, string>()));

    private static readonly Lazy<Task<IReadOnlyList<JsonObject>>> On =
        new(() => DeploymentSnapshot.ResourcesAsync(new Dictionary<string, string> { ["privateNetworking"] = "true" }));

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
    }

    [Fact]
    public async Task PrivateNetworkingOn_ChangesNothingButTheNetwork_PublicAccess_AndTheAppsSubnet()
    {
        IReadOnlyList<JsonObject> off = await Off.Value;
        IReadOnlyList<JsonObject> on = await On.Value;

        JsonObject[] withoutNetwork = [.. on.Where(resource => !Type(resource).StartsWith("Microsoft.Network/", StringComparison.Ordinal)).Select(Clone)];
        foreach (JsonObject resource in withoutNetwork.Where(resource => Type(resource) is StorageAccount or KeyVault))
        {
            Properties(resource)["publicNetworkAccess"] = "Enabled";
            Properties(resource)["networkAcls"]!["defaultAction"] = "Allow";
        }

        Properties(Assert.Single(withoutNetwork, resource => Type(resource) == Site))["virtualNetworkSubnetId"] = null;
        Assert.Equal(off.Select(resource => resource.ToJsonString()), withoutNetwork.Select(resource => resource.ToJsonString()));
    }

    [Fact]
    public async Task PrivateNetworkingOn_StorageAndKeyVault_RefusePublicNetworks()
    {
        IReadOnlyList<JsonObject> on = await On.Value;

        foreach (string type in new[] { StorageAccount, KeyVault })
        {
            JsonObject properties = Properties(Assert.Single(on, resource => Type(resource) == type));
            Assert.Equal("Disabled", (string?)properties["publicNetworkAccess"]);
            Assert.Equal("Deny", (string?)properties["networkAcls"]!["defaultAction"]);
        }
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

    private static string Type(JsonObject resource) => (string)resource["type"]!;

    private static JsonObject Properties(JsonObject resource) => resource["properties"]!.AsObject();

    private static JsonObject Clone(JsonObject resource) => resource.DeepClone().AsObject();
}
