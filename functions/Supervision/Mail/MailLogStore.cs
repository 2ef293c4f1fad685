using Azure;
using Azure.Data.Tables;
using Supervision.Storage;

namespace Supervision.Mail;

/// <summary>The MailLog table: a conditional insert per idempotency key, then ETag-conditional updates.</summary>
public sealed class MailLogStore(TableServiceClient tables)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.MailLog);

    /// <summary>Inserts the row unless one with that key exists; returns the row that is stored either way.</summary>
    public async Task<(MailLogRecord Record, bool Created)> AddOrGetAsync(MailLogRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            Response response = await table.AddEntityAsync(record, cancellationToken);
            record.ETag = response.Headers.ETag ?? default;
            return (record, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            MailLogRecord existing = await GetAsync(record.PartitionKey, record.RowKey, cancellationToken)
                ?? throw new InvalidOperationException("The mail log row conflicted on insert but cannot be read.", e);
            return (existing, false);
        }
    }

    public async Task<MailLogRecord?> GetAsync(string partitionKey, string idempotencyKey, CancellationToken cancellationToken)
    {
        NullableResponse<MailLogRecord> response =
            await table.GetEntityIfExistsAsync<MailLogRecord>(partitionKey, idempotencyKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

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
