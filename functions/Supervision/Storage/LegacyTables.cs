using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Kernel;
using Supervision.Mail;

namespace Supervision.Storage;

/// <summary>What <see cref="LegacyTables.MoveAsync"/> did with one table of the earlier layout.</summary>
public sealed record LegacyTableMove(string Table, int Copied, int AlreadyThere, int Skipped);

/// <summary>
/// Moves an existing deployment's rows from the tables an earlier layout kept beside <see cref="TableNames.Engagements"/>
/// (<see cref="Links"/>, <see cref="Audit"/>, <see cref="MailLog"/>, <see cref="Evidence"/>) into the engagements' own partitions
/// (docs/decisions/0002), then deletes each table it has copied whole. It runs at start-up; once the tables are gone it
/// costs one failed read each. A row is added, never written over, so a second instance starting alongside, or a run
/// after one that stopped half-way, copies nothing twice and changes nothing already there.
/// </summary>
public sealed class LegacyTables(TableServiceClient tables, ILogger<LegacyTables> logger)
{
    public const string Links = "Links";
    public const string Audit = "Audit";
    public const string MailLog = "MailLog";
    public const string Evidence = "Evidence";

    /// <summary>Where a row of each table goes in the engagement's partition: its new row key, or null for a row with no engagement.</summary>
    private static readonly (string Table, Func<TableEntity, string?> RowKey)[] Moves =
    [
        // Requests and links kept their prefixes (request|, link|, event|).
        (Links, row => row.RowKey),
        // Entries were keyed by the sequence alone, the head was "head", markers "key|…".
        (Audit, row => row.RowKey == "head" ? AuditLog.HeadRowKey : AuditLog.EntryRowPrefix + row.RowKey),
        // Mail of no engagement (the "system" partition) was never sent by the product; it has nowhere to go.
        (MailLog, row => EngagementIds.IsWellFormed(row.PartitionKey) ? MailLogRecord.Key(row.RowKey) : null),
        // Evidence metadata was already keyed evidence|… under its engagement.
        (Evidence, row => row.RowKey),
    ];

    private readonly TableClient engagements = tables.GetTableClient(TableNames.Engagements);

    public async Task<IReadOnlyList<LegacyTableMove>> MoveAsync(CancellationToken cancellationToken)
    {
        var moves = new List<LegacyTableMove>();
        foreach ((string table, Func<TableEntity, string?> rowKey) in Moves)
        {
            if (await MoveAsync(table, rowKey, cancellationToken) is { } move)
                moves.Add(move);
        }

        return moves;
    }

    private async Task<LegacyTableMove?> MoveAsync(string table, Func<TableEntity, string?> rowKeyOf, CancellationToken cancellationToken)
    {
        TableClient legacy = tables.GetTableClient(table);
        int copied = 0, alreadyThere = 0, skipped = 0;
        try
        {
            await foreach (Page<TableEntity> page in legacy.QueryAsync<TableEntity>(cancellationToken: cancellationToken).AsPages())
            {
                foreach (TableEntity row in page.Values)
                {
                    if (rowKeyOf(row) is not { } rowKey)
                    {
                        skipped++;
                        continue;
                    }

                    if (await AddIfAbsentAsync(Copy(row, rowKey), cancellationToken))
                        copied++;
                    else
                        alreadyThere++;
                }
            }

            await legacy.DeleteAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No such table: this deployment never had it, or it was moved (by this run's other instance, perhaps).
            if (copied + alreadyThere + skipped == 0)
                return null;
        }

        logger.LogWarning(
            "Table {Table} of the earlier layout moved into the engagements' partitions: {Copied} rows copied, {AlreadyThere} already there, {Skipped} with no engagement left behind; the table is deleted",
            table, copied, alreadyThere, skipped);
        return new LegacyTableMove(table, copied, alreadyThere, skipped);
    }

    private async Task<bool> AddIfAbsentAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await engagements.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The row's properties under its engagement and new key; the service's own (timestamp, ETag) are not copied.</summary>
    private static TableEntity Copy(TableEntity row, string rowKey)
    {
        var copy = new TableEntity(row.PartitionKey, rowKey);
        foreach ((string name, object value) in row)
        {
            if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                copy[name] = value;
        }

        return copy;
    }
}
