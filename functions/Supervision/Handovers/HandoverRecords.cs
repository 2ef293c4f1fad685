using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Handovers;

/// <summary>The ledger rows of an engagement, beside its main row in the Engagements table.</summary>
public sealed class HandoverStore(TableServiceClient tables, AuditLog audit)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public Task<HandoverRecord?> GetHandoverAsync(string engagementId, string handoverId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<HandoverRecord>(engagementId, HandoverRecord.Key(handoverId), cancellationToken);

    public Task<CheckoutRecord?> GetCheckoutAsync(string engagementId, string checkoutId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<CheckoutRecord>(engagementId, CheckoutRecord.Key(checkoutId), cancellationToken);

    /// <summary>Adds the row with the trail entry that records it, or answers the stored one (<see cref="TrailedRows.AddOrGetAsync{T}"/>).</summary>
    public Task<(T Entity, bool Created)> AddOrGetAsync<T>(T record, Func<T, TrailEntry?> entry, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        audit.AddOrGetAsync(record, entry, token => table.GetOrNullAsync<T>(record.PartitionKey, record.RowKey, token), cancellationToken);

    public Task<List<HandoverRecord>> ListHandoversAsync(string engagementId, CancellationToken cancellationToken) =>
        ListAsync<HandoverRecord>(engagementId, HandoverRecord.Prefix, cancellationToken);

    public Task<List<CheckoutRecord>> ListCheckoutsAsync(string engagementId, CancellationToken cancellationToken) =>
        ListAsync<CheckoutRecord>(engagementId, CheckoutRecord.Prefix, cancellationToken);

    /// <summary>Applies <paramref name="change"/> ETag-conditionally (<see cref="TableClientExtensions.UpdateAsync{T}"/>).</summary>
    public Task<T?> UpdateAsync<T>(string engagementId, string rowKey, Func<T, bool> change, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        table.UpdateAsync(engagementId, rowKey, change, cancellationToken);

    /// <summary>Applies <paramref name="change"/> with the trail entry that records it, in one transaction (<see cref="TrailedRows.UpdateAsync{T}"/>).</summary>
    public Task<T?> UpdateAsync<T>(string engagementId, string rowKey, Func<T, bool> change, Func<T, TrailEntry?> entry, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        audit.UpdateAsync(token => table.GetOrNullAsync<T>(engagementId, rowKey, token), change, entry, cancellationToken);

    private Task<List<T>> ListAsync<T>(string engagementId, string prefix, CancellationToken cancellationToken)
        where T : class, ITableEntity =>
        table.ListByPrefixAsync<T>(engagementId, prefix, cancellationToken);
}
