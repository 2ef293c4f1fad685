using Azure;
using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Storage;

namespace Supervision.Kernel;

/// <summary>
/// The engagement's main row. A read takes the trail's head with it (the rows sit next to each other), and hands it to
/// <see cref="AuditHeads"/>, so the step that read the engagement commits its trail entries without reading the head.
/// </summary>
/// <remarks>
/// A change that a trail entry records is committed with it (docs/decisions/0002): the <c>UpdateAsync</c> overloads whose
/// change answers a <see cref="TrailEntry"/> do so for the engagement's row and for any other row of its partition; they
/// need the <see cref="AuditLog"/>.
/// </remarks>
public sealed class EngagementStore(TableServiceClient tables, AuditHeads? heads = null, AuditLog? audit = null)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public async Task<EngagementRecord?> GetAsync(string engagementId, CancellationToken cancellationToken) =>
        (await ReadAsync(engagementId, cancellationToken)).Engagement;

    /// <summary>The engagement's row and its trail's head, in one range read of the partition.</summary>
    public async Task<(EngagementRecord? Engagement, AuditHead? Head)> ReadAsync(string engagementId, CancellationToken cancellationToken)
    {
        string range = TableClient.CreateQueryFilter(
            $"PartitionKey eq {engagementId} and RowKey ge {EngagementRecord.MainRowKey} and RowKey le {AuditLog.HeadRowKey}");
        EngagementRecord? engagement = null;
        AuditHead? head = null;
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(range, cancellationToken: cancellationToken))
        {
            if (row.RowKey == EngagementRecord.MainRowKey)
            {
                engagement = row.As<EngagementRecord>();
            }
            else if (row.RowKey == AuditLog.HeadRowKey)
            {
                head = AuditLog.HeadOf(row);
                heads?.Set(engagementId, head, row.ETag);
            }
        }

        return (engagement, head);
    }

    /// <summary>
    /// Moves the engagement to <paramref name="stage"/> with the trail <paramref name="entry"/> that records it, in one
    /// transaction conditional on the row's ETag, so a concurrent writer is never overwritten. Moving to the stage it is
    /// already at changes nothing and appends nothing, so a retried activity is harmless.
    /// </summary>
    public Task<EngagementRecord> MoveToStageAsync(string engagementId, EngagementStage stage, DateTimeOffset at, TrailEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return UpdateAsync(engagementId, record =>
        {
            EngagementStage current = Enum.Parse<EngagementStage>(record.Stage);
            if (current == stage)
                return null;
            if (!EngagementStages.CanMove(current, stage))
                throw new InvalidOperationException($"Engagement {engagementId} cannot move from {current} to {stage}.");
            record.Stage = stage.ToString();
            record.StageChangedAt = at;
            return entry;
        }, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the row conditional on its ETag, reading again after a concurrent write.
    /// <paramref name="change"/> answers false to leave the row as it is (e.g. the change was already made).
    /// </summary>
    public async Task<EngagementRecord> UpdateAsync(string engagementId, Func<EngagementRecord, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            EngagementRecord record = await GetAsync(engagementId, cancellationToken)
                ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");
            if (!change(record))
                return record;
            try
            {
                Response response = await table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken);
                record.ETag = response.Headers.ETag ?? record.ETag;
                return record;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Someone else changed the row since we read it: read again and re-decide.
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the row and commits it with the trail entry <paramref name="change"/> answers,
    /// in one transaction conditional on the row's ETag (<see cref="AuditLog.CommitAsync"/>); a row changed meanwhile is
    /// read again and decided again. <paramref name="change"/> answers null to leave the row as it is: nothing is written.
    /// An entry whose key is on the trail already was committed by an earlier run, with its change: nothing is written
    /// again. Answers the row as stored.
    /// </summary>
    public async Task<EngagementRecord> UpdateAsync(string engagementId, Func<EngagementRecord, TrailEntry?> change, CancellationToken cancellationToken) =>
        await CommitAsync(token => GetAsync(engagementId, token), change, cancellationToken)
            ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");

    /// <summary>
    /// As the overload above, for another row of the engagement's partition (a tier's, a request's): the row of
    /// <paramref name="rowKey"/> as stored, or null when there is none.
    /// </summary>
    public Task<T?> UpdateAsync<T>(string engagementId, string rowKey, Func<T, TrailEntry?> change, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        CommitAsync(token => table.GetOrNullAsync<T>(engagementId, rowKey, token), change, cancellationToken);

    private Task<T?> CommitAsync<T>(Func<CancellationToken, Task<T?>> read, Func<T, TrailEntry?> change, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(change);
        AuditLog trail = audit ?? throw new InvalidOperationException("This store was made without the audit log: it cannot commit a change with its trail entry.");
        // The change decides its own entry; a row it leaves as it is has none to append.
        TrailEntry? decided = null;
        return trail.UpdateAsync(read, row => (decided = change(row)) is not null, _ => decided, cancellationToken);
    }

    /// <summary>Replaces the row only if it is unchanged since it was read; false when someone else wrote it first.</summary>
    public async Task<bool> TryReplaceAsync(EngagementRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            await table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
