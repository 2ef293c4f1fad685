using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Kernel;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Audit;

/// <summary>
/// Appends chain to the head the process wrote last without reading it again, and still chain correctly, against real
/// Table Storage (Azurite), when another process moved the head or the trail's rows are gone.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class AuditHeadsTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private readonly string engagementId = EngagementIds.New();
    private readonly HeadReads headReads = new();
    private readonly AuditHeads heads = new();
    private readonly AuditHeads otherProcessHeads = new();
    private TableServiceClient tables = null!;

    public async Task InitializeAsync()
    {
        var options = new TableClientOptions();
        options.AddPolicy(headReads, HttpPipelinePosition.PerCall);
        tables = new TableServiceClient(azurite.ConnectionString, options);
        await tables.CreateTableIfNotExistsAsync(TableNames.Engagements);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        heads.Dispose();
        otherProcessHeads.Dispose();
    }

    [Fact]
    public async Task Append_AfterAnAppendToTheSameTrail_DoesNotReadTheHead()
    {
        var audit = new AuditLog(tables, TimeProvider.System, heads: heads);

        for (int step = 1; step <= 4; step++)
            await AppendAsync(audit, step);

        Assert.Equal(1, headReads.Count);
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task Append_WithoutKnownHeads_ReadsTheHeadEveryTime()
    {
        var audit = new AuditLog(tables, TimeProvider.System);

        for (int step = 1; step <= 4; step++)
            await AppendAsync(audit, step);

        Assert.Equal(4, headReads.Count);
    }

    [Fact]
    public async Task Append_ChainsToTheStoredHead_WhenAnotherProcessMovedIt()
    {
        var audit = new AuditLog(tables, TimeProvider.System, heads: heads);
        var otherProcess = new AuditLog(tables, TimeProvider.System, heads: otherProcessHeads);

        for (int step = 1; step <= 6; step++)
            await AppendAsync(step % 2 == 0 ? otherProcess : audit, step);

        IReadOnlyList<AuditEntry> entries = await audit.ListAsync(engagementId, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4, 5, 6], entries.Select(entry => entry.Sequence));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], entries.Select(entry => entry.Details["step"]));
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task Append_StartsTheTrailAgain_WhenItsRowsAreGone()
    {
        var audit = new AuditLog(tables, TimeProvider.System, heads: heads);
        await AppendAsync(audit, 1);
        await AppendAsync(audit, 2);
        TableClient table = tables.GetTableClient(TableNames.Engagements);
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(row => row.PartitionKey == engagementId))
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);

        AuditEntry entry = await AppendAsync(audit, 3);

        Assert.Equal(1, entry.Sequence);
        Assert.Equal(AuditChain.GenesisHash, entry.PreviousHash);
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
    }

    private Task<AuditEntry> AppendAsync(AuditLog audit, int step) =>
        audit.AppendAsync(engagementId, "system", "test.step", new Dictionary<string, string> { ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture) }, CancellationToken.None);

    /// <summary>Counts point reads of the trail's head row.</summary>
    private sealed class HeadReads : HttpPipelineSynchronousPolicy
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get
                && Uri.UnescapeDataString(message.Request.Uri.ToUri().AbsolutePath).Contains($"RowKey='{AuditLog.HeadRowKey}'", StringComparison.Ordinal))
                Interlocked.Increment(ref count);
        }
    }
}
