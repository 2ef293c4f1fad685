using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Supervision.Storage;

namespace Supervision.Kernel;

/// <summary>
/// Lists of engagements, a row each in a partition of <see cref="TableNames.Registry"/>, read instead of scanning the
/// engagements' table (docs/decisions/0002): <see cref="Engagements"/>, every engagement, which the daily sweep walks;
/// <see cref="WithIncidents"/>, those with an incident, which the list of every incident reads. A row is written before
/// the commit that puts the engagement on the list (its onboarding, its first incident), so none is ever missing; a row
/// whose commit never came names rows that are not there, and its reader passes over it.
/// </summary>
public sealed class EngagementRegistry(TableServiceClient tables, ILogger<EngagementRegistry> logger)
{
    public const string Engagements = "engagements";
    public const string WithIncidents = "incidents";

    /// <summary>The row-key prefix of an engagement's incidents, which the backfill looks for (the incidents' rows use it).</summary>
    public const string IncidentRowPrefix = "incident|";

    /// <summary>The row that says every engagement made before the registry existed is in it.</summary>
    private const string BackfillPartition = "backfill";
    private const string BackfillRowKey = "done";

    private readonly TableClient registry = tables.GetTableClient(TableNames.Registry);

    /// <summary>Puts the engagement on <paramref name="list"/>; putting it there again changes nothing.</summary>
    public async Task RegisterAsync(string engagementId, CancellationToken cancellationToken, string list = Engagements)
    {
        try
        {
            await registry.AddEntityAsync(new TableEntity(list, engagementId), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // On the list already: an earlier attempt of the same step put it there, or an earlier incident.
        }
    }

    /// <summary>The engagements on <paramref name="list"/>, in the order of their ids, a page at a time.</summary>
    public async IAsyncEnumerable<string> EngagementIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken, string list = Engagements)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {list}");
        await foreach (TableEntity row in registry.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            yield return row.RowKey;
    }

    /// <summary>
    /// Lists the engagements of a deployment made before the registry existed: once, at start-up, with the only scans of
    /// the engagements' table the product still makes (its engagement rows, its incident rows); then a row records that
    /// it is done. Answers how many engagements it found, or null when it was done before.
    /// </summary>
    public async Task<int?> BackfillAsync(CancellationToken cancellationToken)
    {
        if (await registry.GetOrNullAsync<TableEntity>(BackfillPartition, BackfillRowKey, cancellationToken) is not null)
            return null;
        int engagements = await BackfillAsync(TableClient.CreateQueryFilter($"RowKey eq {EngagementRecord.MainRowKey}"), Engagements, cancellationToken);
        // '}' follows '|': [incident|, incident}) is exactly the prefix.
        int withIncidents = await BackfillAsync(TableClient.CreateQueryFilter($"RowKey ge {IncidentRowPrefix} and RowKey lt {IncidentRowPrefix[..^1] + "}"}"), WithIncidents, cancellationToken);
        await registry.UpsertEntityAsync(new TableEntity(BackfillPartition, BackfillRowKey) { [Engagements] = engagements, [WithIncidents] = withIncidents }, cancellationToken: cancellationToken);
        if (engagements > 0)
            logger.LogWarning("{Count} engagements made before the registry existed were registered, {WithIncidents} of them with incidents", engagements, withIncidents);
        return engagements;
    }

    /// <summary>Puts on <paramref name="list"/> the engagement of each row <paramref name="filter"/> finds; answers how many engagements.</summary>
    private async Task<int> BackfillAsync(string filter, string list, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (TableEntity row in tables.GetTableClient(TableNames.Engagements).QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            if (found.Add(row.PartitionKey))
                await RegisterAsync(row.PartitionKey, cancellationToken, list);
        }

        return found.Count;
    }
}
