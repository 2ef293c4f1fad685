using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Kernel;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Audit;

/// <summary>
/// The audit trail against real Table Storage (Azurite): appends chain up, concurrent writers cannot fork the chain,
/// and whatever is done to the rows directly — edit, delete, reorder, swap in — the verification names where it breaks.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class AuditTamperTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] RowKeys = ["PartitionKey", "RowKey", "Timestamp", "odata.etag"];

    private readonly string engagementId = EngagementIds.New();
    private TableServiceClient tables = null!;
    private TableClient table = null!;
    private AuditLog audit = null!;

    public async Task InitializeAsync()
    {
        tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(TableNames.Engagements);
        table = tables.GetTableClient(TableNames.Engagements);
        audit = new AuditLog(tables, TimeProvider.System);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AppendedEntries_FormAnIntactChain_NumberedFromOne()
    {
        IReadOnlyList<AuditEntry> appended = await AppendStepsAsync(5);

        IReadOnlyList<AuditEntry> listed = await audit.ListAsync(engagementId, CancellationToken.None);
        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4, 5], listed.Select(entry => entry.Sequence));
        Assert.Equal(appended.Select(entry => entry.Hash), listed.Select(entry => entry.Hash));
        Assert.Equal(AuditChain.GenesisHash, listed[0].PreviousHash);
        Assert.Equal("3", listed[2].Details["step"]);
        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(5, verification.EntryCount);
        Assert.Equal(listed[^1].Hash, verification.HeadHash);
    }

    [Fact]
    public async Task Verify_ReportsTheEditedEntry_WhenAnActionWasChangedInTheTable()
    {
        await AppendStepsAsync(5);
        TableEntity row = await RowAsync(3);
        row["Action"] = "engagement.approved";
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Contains("hash", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReportsTheEditedEntry_WhenItsDetailsWereReplacedWithSomethingUnreadable()
    {
        await AppendStepsAsync(5);
        TableEntity row = await RowAsync(3);
        row["Details"] = 42;
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);

        Assert.Equal(3, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_ReportsTheGap_WhenAMiddleEntryWasDeletedFromTheTable()
    {
        await AppendStepsAsync(5);
        await table.DeleteEntityAsync(engagementId, AuditLog.EntryRowKey(3));

        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Contains("missing", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReportsTheLastEntry_WhenItWasDeletedFromTheTable()
    {
        await AppendStepsAsync(5);
        await table.DeleteEntityAsync(engagementId, AuditLog.EntryRowKey(5));

        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);

        Assert.False(verification.IsIntact);
        Assert.Equal(5, verification.FirstBrokenSequence);
        Assert.Contains("head", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReportsTheFirstOfTwoEntries_WhenTheContentsOfTheirRowsWereSwapped()
    {
        await AppendStepsAsync(5);
        TableEntity second = await RowAsync(2);
        TableEntity fourth = await RowAsync(4);
        await table.UpdateEntityAsync(WithContentsOf(second, fourth), second.ETag, TableUpdateMode.Replace);
        await table.UpdateEntityAsync(WithContentsOf(fourth, second), fourth.ETag, TableUpdateMode.Replace);

        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);

        Assert.False(verification.IsIntact);
        Assert.Equal(2, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_ReportsTheSwappedInEntry_WhenARowWasOverwrittenWithAnotherTrailsEntry()
    {
        await AppendStepsAsync(5);
        string otherEngagement = EngagementIds.New();
        for (int step = 1; step <= 3; step++)
            await audit.AppendAsync(otherEngagement, "staff:mallory", "test.step", Step(step), CancellationToken.None);
        TableEntity row = await RowAsync(3);
        TableEntity foreign = (await table.GetEntityAsync<TableEntity>(otherEngagement, AuditLog.EntryRowKey(3))).Value;
        await table.UpdateEntityAsync(WithContentsOf(row, foreign), row.ETag, TableUpdateMode.Replace);

        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task ConcurrentAppends_FromTwoWriters_NeverForkTheChain()
    {
        var otherTables = new TableServiceClient(azurite.ConnectionString);
        AuditLog[] writers = [audit, new AuditLog(otherTables, TimeProvider.System)];

        AuditEntry[] appended = await Task.WhenAll(Enumerable.Range(1, 20).Select(step =>
            Task.Run(() => writers[step % 2].AppendAsync(engagementId, $"staff:writer-{step % 2}", "test.step", Step(step), CancellationToken.None))));

        IReadOnlyList<AuditEntry> listed = await audit.ListAsync(engagementId, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 20).Select(sequence => (long)sequence), listed.Select(entry => entry.Sequence));
        Assert.Equal(Enumerable.Range(1, 20), listed.Select(entry => int.Parse(entry.Details["step"], CultureInfo.InvariantCulture)).Order());
        Assert.Equal(listed.Select(entry => entry.Hash).Order(StringComparer.Ordinal), appended.Select(entry => entry.Hash).Order(StringComparer.Ordinal));
        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);
        Assert.True(verification.IsIntact, verification.Reason);
    }

    [Fact]
    public async Task Append_WithTheSameEntryKeyTwice_AppendsOnce_AndReturnsTheFirstEntry()
    {
        AuditEntry first = await audit.AppendAsync(engagementId, AuditActors.System, "test.step", Step(1), CancellationToken.None, entryKey: "step.1");
        AuditEntry repeated = await audit.AppendAsync(engagementId, AuditActors.System, "test.step", Step(1), CancellationToken.None, entryKey: "step.1");
        await audit.AppendAsync(engagementId, AuditActors.System, "test.step", Step(2), CancellationToken.None, entryKey: "step.2");

        IReadOnlyList<AuditEntry> listed = await audit.ListAsync(engagementId, CancellationToken.None);

        Assert.Equal(first.Hash, repeated.Hash);
        Assert.Equal(1, repeated.Sequence);
        Assert.Equal(["1", "2"], listed.Select(entry => entry.Details["step"]));
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task ConcurrentAppends_WithTheSameEntryKey_FromTwoWriters_AppendOnce()
    {
        var otherTables = new TableServiceClient(azurite.ConnectionString);
        AuditLog[] writers = [audit, new AuditLog(otherTables, TimeProvider.System)];

        AuditEntry[] results = await Task.WhenAll(Enumerable.Range(0, 6).Select(attempt =>
            Task.Run(() => writers[attempt % 2].AppendAsync(engagementId, AuditActors.System, "test.step", Step(1), CancellationToken.None, entryKey: "step.1"))));

        IReadOnlyList<AuditEntry> listed = await audit.ListAsync(engagementId, CancellationToken.None);
        Assert.Single(listed);
        Assert.All(results, result => Assert.Equal(listed[0].Hash, result.Hash));
    }

    [Fact]
    public async Task Verify_FindsATrailRewrittenWithEveryHashAndTheHeadRecomputed_OnceItWasAnchored()
    {
        var blobs = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString);
        await blobs.GetBlobContainerClient(Supervision.Evidence.EvidenceOptions.EvidenceContainer).CreateIfNotExistsAsync();
        var anchors = new AuditAnchors(audit, blobs);
        IReadOnlyList<AuditEntry> original = await AppendStepsAsync(4);
        Assert.True(await anchors.AnchorAsync(engagementId, CancellationToken.None));
        Assert.False(await anchors.AnchorAsync(engagementId, CancellationToken.None));

        // Someone with write access to the table changes entry 2 and recomputes entries 2 to 4 and the head.
        AuditHead head = new(1, original[0].Hash);
        for (int sequence = 2; sequence <= 4; sequence++)
        {
            AuditEntry was = original[sequence - 1];
            AuditEntry forged = AuditChain.Next(head, was.At, was.Actor, sequence == 2 ? "selection.decided" : was.Action, was.Details);
            TableEntity row = await RowAsync(sequence);
            row["Action"] = forged.Action;
            row["PreviousHash"] = forged.PreviousHash;
            row["Hash"] = forged.Hash;
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
            head = new AuditHead(forged.Sequence, forged.Hash);
        }

        TableEntity headRow = (await table.GetEntityAsync<TableEntity>(engagementId, AuditLog.HeadRowKey)).Value;
        headRow["Hash"] = head.Hash;
        await table.UpdateEntityAsync(headRow, headRow.ETag, TableUpdateMode.Replace);

        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);
        ChainVerification anchored = await audit.VerifyAsync(engagementId, CancellationToken.None, await anchors.ListAsync(engagementId, CancellationToken.None));
        Assert.False(anchored.IsIntact);
        Assert.Equal(1, anchored.FirstBrokenSequence);
        Assert.Contains("Entry 4 is not the entry anchored", anchored.Reason, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<AuditEntry>> AppendStepsAsync(int count)
    {
        var appended = new List<AuditEntry>();
        for (int step = 1; step <= count; step++)
            appended.Add(await audit.AppendAsync(engagementId, "staff:hanako", "test.step", Step(step), CancellationToken.None));
        return appended;
    }

    private async Task<TableEntity> RowAsync(long sequence) =>
        (await table.GetEntityAsync<TableEntity>(engagementId, AuditLog.EntryRowKey(sequence))).Value;

    /// <summary>The row <paramref name="target"/> (same keys) holding every property of <paramref name="source"/>.</summary>
    private static TableEntity WithContentsOf(TableEntity target, TableEntity source)
    {
        var row = new TableEntity(target.PartitionKey, target.RowKey) { ETag = ETag.All };
        foreach (KeyValuePair<string, object> property in source.Where(property => !RowKeys.Contains(property.Key)))
            row[property.Key] = property.Value;
        return row;
    }

    private static Dictionary<string, string> Step(int step) => new() { ["step"] = Text(step) };

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
