using Azure;
using Azure.Data.Tables;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Handovers;

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
