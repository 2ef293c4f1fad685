using Azure;
using Azure.Data.Tables;
using Supervision.Storage;

namespace Supervision.Mail;

/// <summary>The mail log rows of an engagement's partition: a conditional insert per idempotency key, then ETag-conditional updates.</summary>
public sealed class MailLogStore(TableServiceClient tables)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    /// <summary>Inserts the row unless one with that key exists; returns the row that is stored either way.</summary>
    public Task<(MailLogRecord Entity, bool Created)> AddOrGetAsync(MailLogRecord record, CancellationToken cancellationToken) =>
        table.AddOrGetAsync(record, cancellationToken);

    public Task<MailLogRecord?> GetAsync(string engagementId, string idempotencyKey, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<MailLogRecord>(engagementId, MailLogRecord.Key(idempotencyKey), cancellationToken);

    /// <summary>Replaces the row if nobody changed it since it was read; false (and nothing written) if somebody did.</summary>
    public async Task<bool> TryUpdateAsync(MailLogRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            Response response = await table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken);
            record.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
