using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Supervision.Storage;

namespace Supervision.Kernel;

/// <summary>
/// Every engagement, a row each in one partition of <see cref="TableNames.Registry"/>: what the daily sweep walks, one
/// partition's range, instead of scanning the engagements' table (docs/decisions/0002). A row is written before the
/// engagement's first commit, so no engagement is ever missing from it; a row whose commit never came names an
/// engagement that is not there, and the sweep passes over it.
/// </summary>
public sealed class EngagementRegistry(TableServiceClient tables, ILogger<EngagementRegistry> logger)
{
    public const string Partition = "engagements";

    /// <summary>The row that says every engagement made before the registry existed is in it.</summary>
    private const string BackfillPartition = "backfill";
    private const string BackfillRowKey = "done";

    private readonly TableClient registry = tables.GetTableClient(TableNames.Registry);

    /// <summary>Registers the engagement; registering it again changes nothing.</summary>
    public async Task RegisterAsync(string engagementId, CancellationToken cancellationToken)
    {
        try
        {
            await registry.AddEntityAsync(new TableEntity(Partition, engagementId), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Registered by an earlier attempt of the same onboarding.
        }
    }

    /// <summary>Every engagement registered, in the order of their ids, a page at a time.</summary>
    public async IAsyncEnumerable<string> EngagementIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (TableEntity row in registry.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            yield return row.RowKey;
    }

    /// <summary>
    /// Registers every engagement of a deployment made before the registry existed: once, at start-up, with the one scan
    /// of the engagements' table the product still makes; then a row records that it is done. Answers how many it found,
    /// or null when it was done before.
    /// </summary>
    public async Task<int?> BackfillAsync(CancellationToken cancellationToken)
    {
        if (await registry.GetOrNullAsync<TableEntity>(BackfillPartition, BackfillRowKey, cancellationToken) is not null)
            return null;
        int found = 0;
        string engagementRows = TableClient.CreateQueryFilter($"RowKey eq {EngagementRecord.MainRowKey}");
        await foreach (TableEntity row in tables.GetTableClient(TableNames.Engagements).QueryAsync<TableEntity>(engagementRows, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            await RegisterAsync(row.PartitionKey, cancellationToken);
            found++;
        }

        await registry.UpsertEntityAsync(new TableEntity(BackfillPartition, BackfillRowKey) { ["Engagements"] = found }, cancellationToken: cancellationToken);
        if (found > 0)
            logger.LogWarning("{Count} engagements made before the registry existed were registered", found);
        return found;
    }
}
