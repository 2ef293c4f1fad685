using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Storage;
using Supervision.Mail;
using Supervision.Reports;
using Supervision.Storage;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Reports;

/// <summary>
/// One write per step (docs/decisions/0002), counted on the wire against real Table Storage (Azurite): a period's
/// report request reads the engagement with its trail's head once, commits the request, its link, the claim of its mail,
/// the report row and their trail entries in one transaction, and settles the mail with its entry in another.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ReportRequestWriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string outbox = Path.Combine(Path.GetTempPath(), "report-writes-" + Guid.NewGuid().ToString("N"));
    private readonly TableCalls calls = new();
    private ServiceProvider seeding = null!;
    private ServiceProvider services = null!;
    private string engagementId = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(outbox);
        seeding = Build(counting: false);
        foreach (string table in TableNames.All)
            await seeding.GetRequiredService<TableServiceClient>().CreateTableIfNotExistsAsync(table);
        engagementId = EngagementIds.New();
        await seeding.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Engagements).AddEntityAsync(new EngagementRecord
        {
            PartitionKey = engagementId,
            ContractorName = "株式会社サンプル印刷",
            Stage = nameof(EngagementStage.Active),
            Request = """{"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"ja"},"purpose":"DM printing","datasets":[{"items":["name"],"recordCount":1,"isSensitive":false,"leakCausesSecondaryDamage":false}],"plannedStart":"2027-01-01","plannedEnd":"2027-03-31"}""",
            RequestHash = "test",
        });
        await ReportScenario.CompleteContractAsync(seeding.GetRequiredService<EngagementStore>(), engagementId, DateTimeOffset.UtcNow);
        await seeding.GetRequiredService<AuditLog>().AppendAsync(engagementId, AuditActors.System, AuditActions.ContractCompleted, new Dictionary<string, string>(), CancellationToken.None);

        // The step runs in another process: it has read or written nothing of the engagement before.
        services = Build(counting: true);
    }

    private ServiceProvider Build(bool counting) => LibraryServices.Build(azurite.ConnectionString, outbox, counting ? calls : null);

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await seeding.DisposeAsync();
        Directory.Delete(outbox, recursive: true);
    }

    [Fact]
    public async Task Qa_1_6_AReportRequest_IsOneReadAndTwoTransactions_AndARetryWritesNothingAgain()
    {
        var activity = ActivatorUtilities.CreateInstance<OpenReportRequest>(services);
        string requestId = ReportPeriodWorkflow.RequestId($"{engagementId}-report-1", 1);
        var input = new ReportRequestInput(engagementId, 1, 1, requestId, $"{engagementId}-report-1");
        calls.Clear();

        await activity.RunAsync(null!, input);

        Assert.Equal(["GET range", "POST $batch", "POST $batch"], calls.Taken());
        ReportRecord report = (await services.GetRequiredService<ReportStore>().GetAsync(engagementId, 1, CancellationToken.None))!;
        Assert.Equal((nameof(ReportStatus.Requested), requestId), (report.Status, report.RequestId));
        Assert.Equal(MailStatus.Sent, (await services.GetRequiredService<MailLogStore>().GetAsync(engagementId, RequestMail.Key(engagementId, requestId, "request"), CancellationToken.None))!.CurrentStatus);
        AuditLog audit = services.GetRequiredService<AuditLog>();
        IReadOnlyList<AuditEntry> trail = await audit.ListAsync(engagementId, CancellationToken.None);
        Assert.Equal([AuditActions.ContractCompleted, AuditActions.RequestOpened, AuditActions.ReportRequested, AuditActions.MailSent], trail.Select(entry => entry.Action));
        Assert.True((await audit.VerifyAsync(engagementId, CancellationToken.None)).IsIntact);

        await activity.RunAsync(null!, input);

        Assert.Equal(4, (await audit.ListAsync(engagementId, CancellationToken.None)).Count);
        Assert.Single(Directory.GetFiles(outbox, "*.eml"));
    }
}
