using Azure;
using Azure.Data.Tables;
using Supervision.Storage;

namespace Supervision.Reports;

/// <summary>The report rows of an engagement: point reads, the partition's range, and ETag-conditional changes.</summary>
public sealed class ReportStore(TableServiceClient tables)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public Task<ReportRecord?> GetAsync(string engagementId, int number, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<ReportRecord>(engagementId, ReportRecord.Key(number), cancellationToken);

    public async Task<IReadOnlyList<ReportRecord>> ListAsync(string engagementId, CancellationToken cancellationToken) =>
        await table.ListByPrefixAsync<ReportRecord>(engagementId, ReportRecord.KeyPrefix, cancellationToken);

    /// <summary>
    /// Adds the row from <paramref name="create"/> or applies <paramref name="change"/> to the stored one, conditional on its
    /// ETag, reading again after a concurrent write. <paramref name="change"/> answers false to leave the row as it is.
    /// </summary>
    public async Task<ReportRecord> AddOrUpdateAsync(string engagementId, int number, Func<ReportRecord> create, Func<ReportRecord, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(change);
        (ReportRecord stored, bool created) = await table.AddOrGetAsync(create(), cancellationToken);
        while (!created)
        {
            if (!change(stored))
                return stored;
            if (await TryReplaceAsync(stored, cancellationToken))
                return stored;
            stored = await GetAsync(engagementId, number, cancellationToken)
                ?? throw new InvalidOperationException($"Report {number} of engagement {engagementId} vanished.");
        }

        return stored;
    }

    /// <summary>Replaces the row only if it is unchanged since it was read; false when someone else wrote it first.</summary>
    public async Task<bool> TryReplaceAsync(ReportRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            Response response = await table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken);
            record.ETag = response.Headers.ETag ?? record.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
