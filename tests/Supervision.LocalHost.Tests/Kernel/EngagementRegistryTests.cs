using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision.Kernel;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Kernel;

/// <summary>
/// The registry the daily sweep walks, against real Table Storage (Azurite, an account of this class's own): a
/// deployment made before it existed has its engagements, and those with incidents, registered once, by the only scans
/// the product still makes.
/// </summary>
public sealed class EngagementRegistryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AnEarlierDeploymentsEngagements_AndThoseWithIncidents_AreRegisteredOnce_AndTheScansAreNotMadeAgain()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        foreach (string table in TableNames.All)
            await tables.CreateTableIfNotExistsAsync(table);
        string[] earlier = [EngagementIds.New(), EngagementIds.New()];
        TableClient engagements = tables.GetTableClient(TableNames.Engagements);
        foreach (string id in earlier)
        {
            await engagements.AddEntityAsync(new EngagementRecord { PartitionKey = id, Stage = "Active" });
            // Rows of the engagement that are not its row are not engagements.
            await engagements.AddEntityAsync(new TableEntity(id, "trail|0000000000000000001"));
        }

        // Two incidents of the first engagement: it is listed once.
        await engagements.AddEntityAsync(new TableEntity(earlier[0], EngagementRegistry.IncidentRowPrefix + "a"));
        await engagements.AddEntityAsync(new TableEntity(earlier[0], EngagementRegistry.IncidentRowPrefix + "b"));

        var registry = new EngagementRegistry(tables, NullLogger<EngagementRegistry>.Instance);

        Assert.Equal(2, await registry.BackfillAsync(CancellationToken.None));
        Assert.Equal(earlier.Order(StringComparer.Ordinal), await Registered(registry));
        Assert.Equal([earlier[0]], await Registered(registry, EngagementRegistry.WithIncidents));

        string later = EngagementIds.New();
        await engagements.AddEntityAsync(new EngagementRecord { PartitionKey = later, Stage = "Active" });
        Assert.Null(await registry.BackfillAsync(CancellationToken.None));
        Assert.DoesNotContain(later, await Registered(registry));

        await registry.RegisterAsync(later, CancellationToken.None);
        await registry.RegisterAsync(later, CancellationToken.None);
        Assert.Equal(earlier.Append(later).Order(StringComparer.Ordinal), await Registered(registry));
    }

    private static async Task<List<string>> Registered(EngagementRegistry registry, string list = EngagementRegistry.Engagements)
    {
        var ids = new List<string>();
        await foreach (string id in registry.EngagementIdsAsync(CancellationToken.None, list))
            ids.Add(id);
        return ids;
    }
}
