using Azure;
using Azure.Data.Tables;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Handovers;

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

    /// <summary>Applies <paramref name="change"/> ETag-conditionally (<see cref="TableClientExtensions.UpdateAsync{T}"/>).</summary>
    public Task<T?> UpdateAsync<T>(string engagementId, string rowKey, Func<T, bool> change, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        table.UpdateAsync(engagementId, rowKey, change, cancellationToken);

    private Task<List<T>> ListAsync<T>(string engagementId, string prefix, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        table.ListByPrefixAsync<T>(engagementId, prefix, cancellationToken);
}
