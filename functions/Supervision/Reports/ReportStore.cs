using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Storage;

namespace Supervision.Reports;

/// <summary>The report rows of an engagement: point reads, the partition's range, and ETag-conditional changes.</summary>
public sealed class ReportStore(TableServiceClient tables, AuditLog audit)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public Task<ReportRecord?> GetAsync(string engagementId, int number, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<ReportRecord>(engagementId, ReportRecord.Key(number), cancellationToken);

    public async Task<IReadOnlyList<ReportRecord>> ListAsync(string engagementId, CancellationToken cancellationToken) =>
        await table.ListByPrefixAsync<ReportRecord>(engagementId, ReportRecord.KeyPrefix, cancellationToken);

    /// <summary>
    /// Adds the row from <paramref name="create"/>, or applies <paramref name="change"/> to the stored one, with the trail
    /// <paramref name="entry"/> that records it, in one transaction conditional on what was read; reads again after a
    /// concurrent write. <paramref name="change"/> answers false to leave the row as it is (the change was made, with its
    /// entry, by an earlier run).
    /// </summary>
    public async Task AddOrUpdateAsync(string engagementId, int number, Func<ReportRecord> create, Func<ReportRecord, bool> change, TrailEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(change);
        TableTransactionAction write = new(TableTransactionActionType.Add, create());
        while (await audit.CommitAsync(engagementId, [write], [entry], cancellationToken) == TrailCommit.Refused)
        {
            ReportRecord stored = await GetAsync(engagementId, number, cancellationToken)
                ?? throw new InvalidOperationException($"Report {number} of engagement {engagementId} vanished.");
            if (!change(stored))
                return;
            write = new TableTransactionAction(TableTransactionActionType.UpdateReplace, stored, stored.ETag);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored row with the trail <paramref name="entry"/> that records it, in one
    /// transaction conditional on the row's ETag, reading again after a concurrent write. When <paramref name="change"/>
    /// answers false the row stays as it is, and the entry is appended once by its key.
    /// </summary>
    public async Task UpdateAsync(string engagementId, int number, Func<ReportRecord, bool> change, TrailEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(entry);
        while (true)
        {
            ReportRecord row = await GetAsync(engagementId, number, cancellationToken)
                ?? throw new InvalidOperationException($"Report {number} of engagement {engagementId} does not exist.");
            if (!change(row))
            {
                await audit.AppendAsync(engagementId, entry.Actor, entry.Action, entry.Details, cancellationToken, entry.EntryKey);
                return;
            }

            if (await audit.CommitAsync(engagementId, [new(TableTransactionActionType.UpdateReplace, row, row.ETag)], [entry], cancellationToken) != TrailCommit.Refused)
                return;
        }
    }
}
