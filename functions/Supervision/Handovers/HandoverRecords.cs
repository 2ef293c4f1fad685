using Azure;
using Azure.Data.Tables;
using Supervision.Storage;

namespace Supervision.Handovers;

/// <summary>Where a handover's acknowledgement by its receiver stands.</summary>
public enum AcknowledgementStatus
{
    Waiting,
    Acknowledged,
    Disputed,
}

/// <summary>One handover ledger entry: a row <c>handover|{id}</c> in the engagement's partition of the Engagements table.</summary>
public sealed class HandoverRecord : ITableEntity
{
    public const string Prefix = "handover|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The data items handed over, as a JSON array.</summary>
    public string DataItems { get; set; } = "[]";

    public int RecordCount { get; set; }

    public string Medium { get; set; } = string.Empty;

    public string TransferMethod { get; set; } = string.Empty;

    public string SenderName { get; set; } = string.Empty;

    public string ReceiverName { get; set; } = string.Empty;

    public string ReceiverEmail { get; set; } = string.Empty;

    /// <summary>Japan calendar date, yyyy-MM-dd.</summary>
    public string HandedOverOn { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>SHA-256 of the validated entry: a repeated idempotency key must carry the same entry.</summary>
    public string EntryHash { get; set; } = string.Empty;

    /// <summary>The vendor request through which the receiver acknowledges, once the workflow opened it.</summary>
    public string? AcknowledgementRequestId { get; set; }

    public string Status { get; set; } = nameof(AcknowledgementStatus.Waiting);

    /// <summary>When the receiver answered (acknowledged or disputed).</summary>
    public DateTimeOffset? AnsweredAt { get; set; }

    public string? ReceivedAsDescribed { get; set; }

    public string? RecordsReceived { get; set; }

    public string? Remark { get; set; }

    public string EngagementId => PartitionKey;

    public string HandoverId => RowKey[Prefix.Length..];

    public static string Key(string handoverId) => Prefix + handoverId;
}

/// <summary>Paper or media checked out to the contractor (7-3): a row <c>checkout|{id}</c> in the engagement's partition.</summary>
public sealed class CheckoutRecord : ITableEntity
{
    public const string Prefix = "checkout|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ItemDescription { get; set; } = string.Empty;

    /// <summary>Japan calendar dates, yyyy-MM-dd.</summary>
    public string CheckedOutOn { get; set; } = string.Empty;

    public string DueBack { get; set; } = string.Empty;

    public string? ReturnedOn { get; set; }

    public DateTimeOffset? ReturnRecordedAt { get; set; }

    public string? ReturnRecordedBy { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    public string EntryHash { get; set; } = string.Empty;

    /// <summary>How many overdue reminders the contractor was sent, and whether the supervisors were told.</summary>
    public int OverdueReminders { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    public string EngagementId => PartitionKey;

    public string CheckoutId => RowKey[Prefix.Length..];

    public static string Key(string checkoutId) => Prefix + checkoutId;
}

/// <summary>The ledger rows of an engagement, beside its main row in the Engagements table.</summary>
public sealed class HandoverStore(TableServiceClient tables)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public Task<HandoverRecord?> GetHandoverAsync(string engagementId, string handoverId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<HandoverRecord>(engagementId, HandoverRecord.Key(handoverId), cancellationToken);

    public Task<CheckoutRecord?> GetCheckoutAsync(string engagementId, string checkoutId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<CheckoutRecord>(engagementId, CheckoutRecord.Key(checkoutId), cancellationToken);

    public Task<(HandoverRecord Entity, bool Created)> AddOrGetAsync(HandoverRecord record, CancellationToken cancellationToken) =>
        table.AddOrGetAsync(record, cancellationToken);

    public Task<(CheckoutRecord Entity, bool Created)> AddOrGetAsync(CheckoutRecord record, CancellationToken cancellationToken) =>
        table.AddOrGetAsync(record, cancellationToken);

    public Task<List<HandoverRecord>> ListHandoversAsync(string engagementId, CancellationToken cancellationToken) =>
        ListAsync<HandoverRecord>(engagementId, HandoverRecord.Prefix, cancellationToken);

    public Task<List<CheckoutRecord>> ListCheckoutsAsync(string engagementId, CancellationToken cancellationToken) =>
        ListAsync<CheckoutRecord>(engagementId, CheckoutRecord.Prefix, cancellationToken);

    /// <summary>Applies <paramref name="change"/> ETag-conditionally, reading again after a concurrent write; false leaves the row.</summary>
    public async Task<T?> UpdateAsync<T>(string engagementId, string rowKey, Func<T, bool> change, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            T? row = await table.GetOrNullAsync<T>(engagementId, rowKey, cancellationToken);
            if (row is null || !change(row))
                return row;
            try
            {
                Response response = await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                row.ETag = response.Headers.ETag ?? row.ETag;
                return row;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Someone else changed the row since we read it: read again and re-decide.
            }
        }
    }

    private Task<List<T>> ListAsync<T>(string engagementId, string prefix, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        table.ListByPrefixAsync<T>(engagementId, prefix, cancellationToken);
}
