using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Evidence;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Storage;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Storage;

/// <summary>
/// A deployment made before requests, trail, mail and evidence moved into the engagements' partitions keeps working: its
/// rows of the Links, Audit, MailLog and Evidence tables are moved where the product now reads them, against real Table Storage (Azurite,
/// an account of this class's own, so no other test's host moves them first).
/// </summary>
public sealed class LegacyTablesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly string engagementId = EngagementIds.New();
    private TableServiceClient tables = null!;
    private TableClient engagements = null!;

    public async Task InitializeAsync()
    {
        tables = new TableServiceClient(azurite.ConnectionString);
        engagements = tables.GetTableClient(TableNames.Engagements);
        await engagements.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnEarlierTrail_IsMovedIntact_AndAKeyedAppendFindsItsEntry()
    {
        var audit = new AuditLog(tables, TimeProvider.System);
        for (int step = 1; step <= 3; step++)
            await audit.AppendAsync(engagementId, "system", "test.step", new Dictionary<string, string> { ["step"] = $"{step}" }, CancellationToken.None, entryKey: $"step.{step}");
        await ToEarlierLayoutAsync(LegacyTables.Audit, row => row.RowKey == AuditLog.HeadRowKey ? "head" : row.RowKey[AuditLog.EntryRowPrefix.Length..], AuditLog.HeadRowKey, AuditLog.EntryRowPrefix);
        Assert.Null(await audit.HeadAsync(engagementId, CancellationToken.None));

        await new LegacyTables(tables, NullLogger<LegacyTables>.Instance).MoveAsync(CancellationToken.None);

        ChainVerification verification = await audit.VerifyAsync(engagementId, CancellationToken.None);
        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(3, (await audit.HeadAsync(engagementId, CancellationToken.None))?.Sequence);
        AuditEntry again = await audit.AppendAsync(engagementId, "system", "test.step", new Dictionary<string, string> { ["step"] = "2" }, CancellationToken.None, entryKey: "step.2");
        Assert.Equal(2, again.Sequence);
        Assert.Equal(4, (await audit.AppendAsync(engagementId, "system", "test.step", new Dictionary<string, string> { ["step"] = "4" }, CancellationToken.None)).Sequence);
        await AssertGoneAsync(LegacyTables.Audit);
    }

    [Fact]
    public async Task EarlierRequestsLinksMailAndEvidence_AreMoved_AndMailOfNoEngagementIsLeftOut()
    {
        string requestId = Guid.NewGuid().ToString("N");
        TableClient links = tables.GetTableClient(LegacyTables.Links);
        await links.CreateIfNotExistsAsync();
        await links.AddEntityAsync(new VendorRequestRecord { PartitionKey = engagementId, RowKey = VendorRequestRecord.Key(requestId), Kind = "periodic-report", Status = "Open" });
        await links.AddEntityAsync(new VendorLinkRecord { PartitionKey = engagementId, RowKey = VendorLinkRecord.Key("l1"), RequestId = requestId, Purpose = "Respond" });
        TableClient mailLog = tables.GetTableClient(LegacyTables.MailLog);
        await mailLog.CreateIfNotExistsAsync();
        await mailLog.AddEntityAsync(new TableEntity(engagementId, $"{engagementId}.{requestId}.request") { ["Status"] = "Sent", ["Template"] = "vendor-request" });
        await mailLog.AddEntityAsync(new TableEntity("system", "a-mail-of-no-engagement") { ["Status"] = "Sent" });
        TableClient evidence = tables.GetTableClient(LegacyTables.Evidence);
        await evidence.CreateIfNotExistsAsync();
        await evidence.AddEntityAsync(new EvidenceRecord { PartitionKey = engagementId, RowKey = EvidenceRecord.Key("e1"), RequestId = requestId, Status = nameof(EvidenceStatus.Accepted), OriginalFileName = "report.pdf" });

        IReadOnlyList<LegacyTableMove> moves = await new LegacyTables(tables, NullLogger<LegacyTables>.Instance).MoveAsync(CancellationToken.None);

        Assert.Equal(new LegacyTableMove(LegacyTables.Links, 2, 0, 0), Assert.Single(moves, move => move.Table == LegacyTables.Links));
        Assert.Equal(new LegacyTableMove(LegacyTables.MailLog, 1, 0, 1), Assert.Single(moves, move => move.Table == LegacyTables.MailLog));
        Assert.Equal(new LegacyTableMove(LegacyTables.Evidence, 1, 0, 0), Assert.Single(moves, move => move.Table == LegacyTables.Evidence));
        Assert.Equal("report.pdf", Assert.Single(await engagements.ListByPrefixAsync<EvidenceRecord>(engagementId, EvidenceRecord.KeyPrefix, CancellationToken.None)).OriginalFileName);
        Assert.Equal("periodic-report", (await engagements.GetEntityAsync<VendorRequestRecord>(engagementId, VendorRequestRecord.Key(requestId))).Value.Kind);
        Assert.Equal(requestId, (await engagements.GetEntityAsync<VendorLinkRecord>(engagementId, VendorLinkRecord.Key("l1"))).Value.RequestId);
        MailLogRecord mail = (await engagements.GetEntityAsync<MailLogRecord>(engagementId, MailLogRecord.Key($"{engagementId}.{requestId}.request"))).Value;
        Assert.Equal(MailStatus.Sent, mail.CurrentStatus);
        await AssertGoneAsync(LegacyTables.Links);
        await AssertGoneAsync(LegacyTables.MailLog);
        await AssertGoneAsync(LegacyTables.Evidence);
    }

    [Fact]
    public async Task AMoveThatStoppedHalfWay_IsFinished_WithoutWritingOverWhatIsThere()
    {
        TableClient links = tables.GetTableClient(LegacyTables.Links);
        await links.CreateIfNotExistsAsync();
        string requestId = Guid.NewGuid().ToString("N");
        await links.AddEntityAsync(new VendorRequestRecord { PartitionKey = engagementId, RowKey = VendorRequestRecord.Key(requestId), Kind = "periodic-report", Status = "Open" });
        // Copied by the run that stopped, and closed since under the new layout: the earlier row must not reopen it.
        await engagements.AddEntityAsync(new VendorRequestRecord { PartitionKey = engagementId, RowKey = VendorRequestRecord.Key(requestId), Kind = "periodic-report", Status = "Fulfilled" });

        IReadOnlyList<LegacyTableMove> moves = await new LegacyTables(tables, NullLogger<LegacyTables>.Instance).MoveAsync(CancellationToken.None);

        Assert.Equal(new LegacyTableMove(LegacyTables.Links, 0, 1, 0), Assert.Single(moves));
        Assert.Equal("Fulfilled", (await engagements.GetEntityAsync<VendorRequestRecord>(engagementId, VendorRequestRecord.Key(requestId))).Value.Status);
        Assert.Empty(await new LegacyTables(tables, NullLogger<LegacyTables>.Instance).MoveAsync(CancellationToken.None));
    }

    /// <summary>Moves the engagement's rows of the given prefixes out to <paramref name="table"/> under their earlier keys.</summary>
    private async Task ToEarlierLayoutAsync(string table, Func<TableEntity, string> earlierKey, params string[] prefixes)
    {
        TableClient legacy = tables.GetTableClient(table);
        await legacy.CreateIfNotExistsAsync();
        await foreach (TableEntity row in engagements.QueryAsync<TableEntity>(row => row.PartitionKey == engagementId))
        {
            if (!prefixes.Any(prefix => row.RowKey.StartsWith(prefix, StringComparison.Ordinal)))
                continue;
            var earlier = new TableEntity(row.PartitionKey, earlierKey(row));
            foreach ((string name, object value) in row.Where(property => property.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
                earlier[name] = value;
            await legacy.AddEntityAsync(earlier);
            await engagements.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }

    private async Task AssertGoneAsync(string table)
    {
        RequestFailedException gone = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            await foreach (TableEntity _ in tables.GetTableClient(table).QueryAsync<TableEntity>(maxPerPage: 1))
                break;
        });
        Assert.Equal(404, gone.Status);
    }
}
