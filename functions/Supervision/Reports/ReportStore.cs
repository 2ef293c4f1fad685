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
        // Refused: the row exists (a later request of the period changes it); its entry is this change's, not the row's.
        if (await audit.CommitAsync(engagementId, [new(TableTransactionActionType.Add, create())], [entry], cancellationToken) == TrailCommit.Refused)
            await UpdateAsync(engagementId, number, change, entry, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored row with the trail <paramref name="entry"/> that records it, in one
    /// transaction conditional on the row's ETag, reading again after a concurrent write. When <paramref name="change"/>
    /// answers false the row stays as it is, and the entry is appended once by its key.
    /// </summary>
    public async Task UpdateAsync(string engagementId, int number, Func<ReportRecord, bool> change, TrailEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _ = await audit.UpdateAsync(token => GetAsync(engagementId, number, token), change, _ => entry, cancellationToken)
            ?? throw new InvalidOperationException($"Report {number} of engagement {engagementId} does not exist.");
    }
}
