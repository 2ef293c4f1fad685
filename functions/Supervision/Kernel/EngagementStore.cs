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
public sealed class EngagementStore(TableServiceClient tables, AuditHeads? heads = null)
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
    /// Moves the engagement to <paramref name="stage"/>, conditional on the row's ETag so a concurrent writer is never
    /// overwritten. Moving to the stage it is already at changes nothing, so a retried activity is harmless.
    /// </summary>
    public async Task<EngagementRecord> MoveToStageAsync(string engagementId, EngagementStage stage, DateTimeOffset at, CancellationToken cancellationToken)
    {
        while (true)
        {
            EngagementRecord record = await GetAsync(engagementId, cancellationToken)
                ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");
            EngagementStage current = Enum.Parse<EngagementStage>(record.Stage);
            if (current == stage)
                return record;
            if (!EngagementStages.CanMove(current, stage))
                throw new InvalidOperationException($"Engagement {engagementId} cannot move from {current} to {stage}.");

            record.Stage = stage.ToString();
            record.StageChangedAt = at;
            try
            {
                await table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken);
                return record;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Someone else changed the row since we read it: read again and re-decide.
            }
        }
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
