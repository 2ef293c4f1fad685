using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Storage;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Incidents;

/// <summary>
/// The list of every engagement's incidents, against real Table Storage (Azurite): it reads the incident rows of each
/// engagement the registry lists as having any, and never scans the engagements' table (docs/decisions/0002).
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class IncidentListTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TheListOfEveryIncident_ReadsTheEngagementsListedWithIncidents_InTheAskedState_AndScansNoTable()
    {
        var calls = new TableCalls();
        string mail = Directory.CreateTempSubdirectory("incident-list-").FullName;
        try
        {
            await using ServiceProvider services = LibraryServices.Build(azurite.ConnectionString, mail, calls);
            var tables = services.GetRequiredService<TableServiceClient>();
            foreach (string table in TableNames.All)
                await tables.CreateTableIfNotExistsAsync(table);
            IncidentStore incidents = services.GetRequiredService<IncidentStore>();
            string listed = EngagementIds.New(), unlisted = EngagementIds.New();
            await incidents.RegisterAsync(listed, CancellationToken.None);
            TableClient engagements = tables.GetTableClient(TableNames.Engagements);
            await engagements.AddEntityAsync(new IncidentRecord { PartitionKey = listed, RowKey = IncidentRecord.Key("open"), State = IncidentStates.Open });
            await engagements.AddEntityAsync(new IncidentRecord { PartitionKey = listed, RowKey = IncidentRecord.Key("closed"), State = IncidentStates.Closed });
            // An incident row of an engagement never put on the list (written past the intake): not found, because nothing is scanned.
            await engagements.AddEntityAsync(new IncidentRecord { PartitionKey = unlisted, RowKey = IncidentRecord.Key("open"), State = IncidentStates.Open });
            calls.Clear();

            List<IncidentRecord> open = await incidents.ListAllAsync(IncidentStates.Open, CancellationToken.None);

            Assert.Equal(["open"], open.Where(incident => incident.EngagementId == listed).Select(incident => incident.IncidentId));
            Assert.DoesNotContain(open, incident => incident.EngagementId == unlisted);
            Assert.NotEmpty(calls.Filters());
            Assert.All(calls.Filters(), filter => Assert.StartsWith("PartitionKey eq '", filter, StringComparison.Ordinal));
            Assert.Equal(["closed"], (await incidents.ListAllAsync(IncidentStates.Closed, CancellationToken.None)).Where(incident => incident.EngagementId == listed).Select(incident => incident.IncidentId));
        }
        finally
        {
            Directory.Delete(mail, recursive: true);
        }
    }
}
