using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Handovers;
using Supervision.Kernel;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Handovers;

/// <summary>
/// One write per step (docs/decisions/0002) for the ledger's rows, against real Table Storage (Azurite): a checkout's
/// change lands with its trail entry, is decided again on the stored row when someone wrote it first, and a step run
/// again writes neither twice.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class LedgerWriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string engagementId = EngagementIds.New();
    private readonly string checkoutId = EngagementIds.New();
    private TableClient table = null!;
    private AuditLog audit = null!;
    private HandoverStore store = null!;

    public async Task InitializeAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(TableNames.Engagements);
        table = tables.GetTableClient(TableNames.Engagements);
        audit = new AuditLog(tables, TimeProvider.System);
        store = new HandoverStore(tables, audit);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Change_RefusedBecauseTheRowChanged_IsDecidedAgainOnTheStoredRow_AndItsEntryLandsOnceWithIt()
    {
        await store.AddOrGetAsync(Checkout(), Recorded, CancellationToken.None);
        bool first = true;

        CheckoutRecord? returned = await ReturnAsync(row =>
        {
            if (first)
            {
                // Another writer (a reminder) changes the row between this step's read and its commit.
                first = false;
                table.UpdateEntity(new TableEntity(engagementId, CheckoutRecord.Key(checkoutId)) { [nameof(CheckoutRecord.OverdueReminders)] = 1 }, Azure.ETag.All, TableUpdateMode.Merge);
            }
        });
        long head = (await audit.HeadAsync(engagementId, CancellationToken.None))!.Sequence;
        CheckoutRecord? again = await ReturnAsync(_ => { });

        CheckoutRecord stored = (await store.GetCheckoutAsync(engagementId, checkoutId, CancellationToken.None))!;
        Assert.Equal("2027-02-10", stored.ReturnedOn);
        Assert.Equal(1, stored.OverdueReminders);
        Assert.Equal(stored.ETag, returned!.ETag);
        Assert.Equal(stored.ETag, again!.ETag);
        Assert.Equal(head, (await audit.HeadAsync(engagementId, CancellationToken.None))!.Sequence);
        Assert.Single(await audit.ListAsync(engagementId, CancellationToken.None), entry => entry.Action == AuditActions.CheckoutReturned);
    }

    [Fact]
    public async Task Add_OfARowAnEarlierVersionWroteWithoutItsEntry_AppendsTheEntryOnce_AndWritesNoRow()
    {
        CheckoutRecord written = Checkout();
        await table.AddEntityAsync(written);

        (CheckoutRecord first, bool created) = await store.AddOrGetAsync(Checkout(), Recorded, CancellationToken.None);
        (_, bool createdAgain) = await store.AddOrGetAsync(Checkout(), Recorded, CancellationToken.None);

        Assert.False(created);
        Assert.False(createdAgain);
        Assert.Equal((await table.GetEntityAsync<TableEntity>(engagementId, written.RowKey)).Value.ETag, first.ETag);
        Assert.Single(await audit.ListAsync(engagementId, CancellationToken.None), entry => entry.Action == AuditActions.CheckoutRecorded);
    }

    private Task<CheckoutRecord?> ReturnAsync(Action<CheckoutRecord> meanwhile) =>
        store.UpdateAsync<CheckoutRecord>(
            engagementId,
            CheckoutRecord.Key(checkoutId),
            row =>
            {
                if (row.ReturnedOn is not null)
                    return false;
                meanwhile(row);
                row.ReturnedOn = "2027-02-10";
                return true;
            },
            row => new TrailEntry("staff:test-procurement", AuditActions.CheckoutReturned, new Dictionary<string, string> { ["returnedOn"] = row.ReturnedOn! }, $"checkout.{checkoutId}.returned"),
            CancellationToken.None);

    private CheckoutRecord Checkout() => new()
    {
        PartitionKey = engagementId,
        RowKey = CheckoutRecord.Key(checkoutId),
        ItemDescription = "申込書の原本 120 枚",
        CheckedOutOn = "2027-02-01",
        DueBack = "2027-02-08",
        RecordedBy = "test-procurement",
        RecordedAt = DateTimeOffset.UtcNow,
        EntryHash = "hash",
    };

    private static TrailEntry Recorded(CheckoutRecord row) =>
        new("staff:test-procurement", AuditActions.CheckoutRecorded, new Dictionary<string, string> { ["item"] = row.ItemDescription }, $"checkout.{row.CheckoutId}.recorded");
}
