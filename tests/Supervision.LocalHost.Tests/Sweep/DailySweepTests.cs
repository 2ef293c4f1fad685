using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Selection;
using Supervision.Domain.Subcontracts;
using Supervision.Engagements;
using Supervision.Handovers;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Reports;
using Supervision.LocalHost.Tests.Storage;
using Supervision.Pledges;
using Supervision.Reports;
using Supervision.Sweep;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Sweep;

/// <summary>
/// The daily sweep against the real local host: renewal evidence asked once per certificate however often it sweeps,
/// lost workflows started again where they stood and audited, rejected engagements left alone, overdue checkouts chased.
/// The sweep is called with a chosen <c>now</c>, as the timer would call it that day. The class has an Azurite of its
/// own: a sweep acts on every engagement in the account, and other tests' engagements would swamp its host.
/// </summary>
public sealed class DailySweepTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Certificate PrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2025, 10, 1), new DateOnly(2027, 9, 30));
    private static readonly Certificate Isms2022 = new(CertificateKind.Isms, "ISO/IEC 27001:2022", new DateOnly(2025, 7, 1), new DateOnly(2028, 6, 30));

    private const string Onboarding = """
        {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"en"},
         "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
         "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"}
        """;

    private EngagementDriver driver = null!;

    private DailySweep Sweep => driver.Host.Services.GetRequiredService<DailySweep>();

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(
            azurite,
            "--Supervision:Requests:AnswerWithin=00:30:00");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task TheSweep_DeliversASubmissionTheWorkflowCouldNotBeToldOf_AndClearsTheHintOfAChangeThatNeverCommitted()
    {
        string id = await driver.StartEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        await driver.AnswerDueDiligenceAsync(token);
        Assert.Equal(200, await driver.SubmitWhileTheEngineIsUnreachableAsync(token));
        TableClient hints = driver.Host.Services.GetRequiredService<TableServiceClient>().GetTableClient(Supervision.Storage.TableNames.Outbox);
        await hints.UpsertEntityAsync(new TableEntity(EventOutbox.HintPartition, $"Links|{id}|request.never-committed") { ["CreatedAt"] = DateTimeOffset.UtcNow.AddHours(-1) });

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(new RelayReport(Delivered: 1, Abandoned: 1, Failed: 0), report.Events);
        await driver.StageAsync(id, "underReview");
        await foreach (TableEntity left in hints.QueryAsync<TableEntity>(row => row.PartitionKey == EventOutbox.HintPartition))
            Assert.Fail($"The hint {left.RowKey} is left.");
    }

    [Fact]
    public async Task TheSweep_AnchorsATrailWhoseHeadMoved_OncePerHead_AndVerificationMatchesTheAnchor()
    {
        string id = await driver.StartEngagementAsync();
        await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        AuditAnchors anchors = driver.Host.Services.GetRequiredService<AuditAnchors>();
        AuditLog audit = driver.Host.Services.GetRequiredService<AuditLog>();
        AuditHead head = (await Eventually.GetAsync(
            async () => (await audit.ListAsync(id, CancellationToken.None)).Any(entry => entry.Action == AuditActions.MailSent) ? await audit.HeadAsync(id, CancellationToken.None) : null,
            Patience,
            "the request mail's trail entry"))!;

        await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);
        IReadOnlyList<AuditAnchor> once = await anchors.ListAsync(id, CancellationToken.None);
        await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);
        IReadOnlyList<AuditAnchor> twice = await anchors.ListAsync(id, CancellationToken.None);

        AuditAnchor anchor = Assert.Single(once);
        Assert.True(anchor.Sequence >= head.Sequence);
        Assert.Equal(once, twice);
        Assert.True((await audit.VerifyAsync(id, CancellationToken.None, twice)).IsIntact);
    }

    [Fact]
    public async Task Qa_1_5_PrivacyMarkInItsRenewalWindow_IsAskedForRenewalEvidenceOnce_HoweverOftenTheSweepRuns()
    {
        string id = await AddEngagementAsync(EngagementStage.Active, PrivacyMark, Isms2022);
        string requestId = DailySweep.RenewalRequestId(id, PrivacyMark);
        // 2027-02-15 in Japan: the Privacy Mark's window (2027-01-30 … 2027-05-30) is open, the ISMS certificate is valid.
        var now = new DateTimeOffset(2027, 2, 15, 1, 0, 0, TimeSpan.Zero);

        SweepReport first = await Sweep.RunAsync(driver.Host.Durable, now, CancellationToken.None);
        await driver.LinkOfMailAsync(id, RenewalMail);
        SweepReport second = await Sweep.RunAsync(driver.Host.Durable, now.AddHours(12), CancellationToken.None);

        Assert.Contains(requestId, first.RenewalRequestsOpened);
        Assert.DoesNotContain(requestId, second.RenewalRequestsOpened);
        Assert.Contains(requestId, second.RenewalRequestsAlreadyOpen);
        Assert.Equal(new DateOnly(2027, 2, 15), first.Today);
        await Task.Delay(TimeSpan.FromSeconds(2));
        string mail = Assert.Single(driver.Mails(id, RenewalMail));
        Assert.EndsWith($"-{id}.{requestId}.request.eml", mail, StringComparison.Ordinal);
        Assert.Contains("Privacy Mark", await File.ReadAllTextAsync(mail), StringComparison.Ordinal);

        VendorRequestRecord request = (await driver.Host.Services.GetRequiredService<VendorRequests>().GetAsync(id, requestId, CancellationToken.None))!;
        Assert.Equal(DailySweep.RenewalRequestKind, request.Kind);
        Assert.Equal("Open", request.Status);
        await Eventually.UntilAsync(async () => (await TrailAsync(id)).Any(entry => entry.Action == AuditActions.CertificateRenewalRequested), Patience, "the renewal request in the trail");
        AuditEntry requested = Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.CertificateRenewalRequested);
        Assert.Equal(AuditActors.System, requested.Actor);
        Assert.Equal(requestId, requested.Details["requestId"]);
        Assert.Equal("privacyMark", requested.Details["certificate"]);
        Assert.Equal("2027-09-30", requested.Details["expiresOn"]);
        Assert.Equal("2027-01-30", requested.Details["renewalOpens"]);
    }

    [Fact]
    public async Task Qa_1_5_ValidCertificates_OutsideTheirRenewalWindow_AreNotAskedFor()
    {
        string id = await AddEngagementAsync(EngagementStage.Active, PrivacyMark, Isms2022);
        var dayBeforeWindow = new DateTimeOffset(2027, 1, 29, 1, 0, 0, TimeSpan.Zero);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, dayBeforeWindow, CancellationToken.None);

        Assert.DoesNotContain(DailySweep.RenewalRequestId(id, PrivacyMark), report.RenewalRequestsOpened);
        Assert.DoesNotContain(DailySweep.RenewalRequestId(id, Isms2022), report.RenewalRequestsOpened);
        Assert.Empty(driver.Mails(id, RenewalMail));
        Assert.DoesNotContain(await TrailAsync(id), entry => entry.Action == AuditActions.CertificateRenewalRequested);
    }

    [Fact]
    public async Task Qa_1_5_RenewalReportedThroughTheLink_ReplacesTheCertificate_SoTheNextSweepAsksNothing()
    {
        string id = await AddEngagementAsync(EngagementStage.Active, PrivacyMark, Isms2022);
        var now = new DateTimeOffset(2027, 2, 15, 1, 0, 0, TimeSpan.Zero);
        await Sweep.RunAsync(driver.Host.Durable, now, CancellationToken.None);

        string token = await driver.LinkOfMailAsync(id, RenewalMail);
        await driver.AnswerAsync(token, new JsonObject { [DailySweep.RenewalFiledOnQuestion] = "2027-02-10", [DailySweep.RenewedExpiresOnQuestion] = "2029-09-30" });
        await driver.UploadAsync(token, "privacy-mark-renewed.pdf", EngagementDriver.SignedContractPdf);
        await driver.SubmitAsync(token);

        string instanceId = CertificateRenewalInput.InstanceId(id, PrivacyMark);
        await StatusAsync(instanceId, OrchestrationRuntimeStatus.Completed);
        Assert.Equal(CertificateRenewalOutcome.Renewed, (await driver.Host.Durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true))!.ReadOutputAs<string>());
        var renewed = new Certificate(CertificateKind.PrivacyMark, null, new DateOnly(2027, 10, 1), new DateOnly(2029, 9, 30));
        Assert.Equal([renewed, Isms2022], await CertificatesAsync(id));
        AuditEntry evidenced = Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.CertificateRenewalEvidenced);
        Assert.StartsWith("vendor-link:", evidenced.Actor, StringComparison.Ordinal);
        Assert.Equal("2029-09-30", evidenced.Details[DailySweep.RenewedExpiresOnQuestion]);

        SweepReport next = await Sweep.RunAsync(driver.Host.Durable, now.AddDays(1), CancellationToken.None);
        Assert.DoesNotContain(DailySweep.RenewalRequestId(id, renewed), next.RenewalRequestsOpened);
        Assert.DoesNotContain(DailySweep.RenewalRequestId(id, PrivacyMark), next.RenewalRequestsAlreadyOpen);
        Assert.Single(driver.Mails(id, RenewalMail));
    }

    [Fact]
    public async Task Qa_1_5_RenewalAnswer_WithANewExpiryNotAfterTheOld_IsRefusedWithItsReason_AndAskedAgain()
    {
        string id = await AddEngagementAsync(EngagementStage.Active, PrivacyMark);
        await Sweep.RunAsync(driver.Host.Durable, new DateTimeOffset(2027, 2, 15, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);

        string token = await driver.LinkOfMailAsync(id, RenewalMail);
        await driver.AnswerAsync(token, new JsonObject { [DailySweep.RenewalFiledOnQuestion] = "2027-02-10", [DailySweep.RenewedExpiresOnQuestion] = "2027-09-30" });
        await driver.UploadAsync(token, "privacy-mark-renewed.pdf", EngagementDriver.SignedContractPdf);
        await driver.SubmitAsync(token);

        await Eventually.UntilAsync(
            async () => driver.MailCount(id, RenewalMail) == 2 && (await TrailAsync(id)).Count(entry => entry.Action == AuditActions.CertificateRenewalRequested) == 2,
            Patience,
            "the renewal asked again");
        AuditEntry refused = Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.CertificateRenewalRefused);
        Assert.Contains("2027-09-30", refused.Details["reasons"], StringComparison.Ordinal);
        Assert.Equal([PrivacyMark], await CertificatesAsync(id));
    }

    [Fact]
    public async Task Qa_1_5_RenewalOnlyFiled_LeavesTheCertificate_AndWaitsToAskForTheNewExpiry()
    {
        string id = await AddEngagementAsync(EngagementStage.Active, PrivacyMark);
        await Sweep.RunAsync(driver.Host.Durable, new DateTimeOffset(2027, 2, 15, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);

        string token = await driver.LinkOfMailAsync(id, RenewalMail);
        await driver.AnswerAsync(token, new JsonObject { [DailySweep.RenewalFiledOnQuestion] = "2027-02-10" });
        await driver.UploadAsync(token, "privacy-mark-renewal-application.pdf", EngagementDriver.SignedContractPdf);
        await driver.SubmitAsync(token);

        string instanceId = CertificateRenewalInput.InstanceId(id, PrivacyMark);
        await Eventually.UntilAsync(
            async () => (await driver.Host.Durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.SerializedCustomStatus?.Contains(CertificateRenewalWorkflow.WaitingForRenewal, StringComparison.Ordinal) == true,
            Patience,
            "the filed renewal waiting");
        AuditEntry evidenced = Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.CertificateRenewalEvidenced);
        Assert.Equal(CertificateRenewalOutcome.Filed, evidenced.Details["outcome"]);
        Assert.Equal([PrivacyMark], await CertificatesAsync(id));
        Assert.Single(driver.Mails(id, RenewalMail));
    }

    [Fact]
    public async Task TerminatedEngagementWorkflow_IsStartedAgainWhereItStood_AndAudited_ARejectedOneIsLeftAlone()
    {
        string id = await driver.StartEngagementAsync();
        await Eventually.UntilAsync(() => Task.FromResult(driver.Mails(id, EngagementDriver.DueDiligenceMail).Length == 1), Patience, "the questionnaire mail");
        await driver.Host.Durable.TerminateInstanceAsync(id);
        OrchestrationMetadata terminated = await StatusAsync(id, OrchestrationRuntimeStatus.Terminated);
        string rejected = await AddEngagementAsync(EngagementStage.Rejected);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Contains(id, report.EngagementWorkflowsRestarted);
        Assert.DoesNotContain(rejected, report.EngagementWorkflowsRestarted);
        OrchestrationMetadata restarted = await Eventually.GetAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true) is { RuntimeStatus: OrchestrationRuntimeStatus.Running, SerializedCustomStatus: "\"SelectionRequested\"" } running
                && running.CreatedAt > terminated.CreatedAt ? running : null,
            Patience,
            "the restarted workflow");
        Assert.True(restarted.ReadInputAs<EngagementWorkflowInput>()!.Resume);
        Assert.Equal($"\"{nameof(EngagementStage.SelectionRequested)}\"", restarted.SerializedCustomStatus);
        AuditEntry audited = Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.EngagementWorkflowRestarted);
        Assert.Equal(AuditActors.System, audited.Actor);
        Assert.Equal("terminated", audited.Details["previousStatus"]);

        // Resumed, not started over: the contractor is not sent the questionnaire again; a second sweep finds it running.
        SweepReport again = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.DoesNotContain(id, again.EngagementWorkflowsRestarted);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(driver.Mails(id, EngagementDriver.DueDiligenceMail));
        Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.EngagementWorkflowRestarted);

        Assert.Null(await driver.Host.Durable.GetInstanceAsync(rejected));
        Assert.DoesNotContain(await TrailAsync(rejected), entry => entry.Action == AuditActions.EngagementWorkflowRestarted);
        Assert.Equal(nameof(EngagementStage.Rejected), (await driver.Host.Services.GetRequiredService<EngagementStore>().GetAsync(rejected, CancellationToken.None))!.Stage);
    }

    [Fact]
    public async Task MissingWorkflow_OfAnApprovedEngagement_ResumesAtTheContract_InsteadOfFailingOnAStageItPassed()
    {
        // Approved while no workflow was listening: starting over would try to move the stage back and fail.
        string id = await AddEngagementAsync(EngagementStage.UnderReview);
        await driver.Host.Services.GetRequiredService<EngagementStore>().UpdateAsync(id, row =>
        {
            row.Decision = "approved";
            row.DecisionReason = "Meets every criterion.";
            row.DecidedBy = "test-supervisor";
            return true;
        }, CancellationToken.None);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Contains(id, report.EngagementWorkflowsRestarted);
        await Eventually.UntilAsync(() => Task.FromResult(driver.Mails(id, EngagementDriver.RequestMail).Length == 1), Patience, "the contract request mail");
        EngagementRecord record = await Eventually.GetAsync(
            async () => await driver.Host.Services.GetRequiredService<EngagementStore>().GetAsync(id, CancellationToken.None) is { ContractRequestId: not null } row ? row : null,
            Patience,
            "the contract request recorded");
        Assert.Equal(nameof(EngagementStage.ContractRequested), record.Stage);
        Assert.EndsWith($"-{id}.{record.ContractRequestId}.request.eml", Assert.Single(driver.Mails(id, EngagementDriver.RequestMail)), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await driver.Host.Durable.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.Empty(driver.Mails(id, EngagementDriver.DueDiligenceMail));
        Assert.Equal("missing", Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.EngagementWorkflowRestarted).Details["previousStatus"]);
    }

    [Fact]
    public async Task WorkflowLostTwiceAtTheContract_AsksAgainUnderIdsOfItsOwn_WhenTheFirstResumesRequestWasAnsweredMeanwhile()
    {
        string id = await AddEngagementAsync(EngagementStage.UnderReview);
        EngagementStore store = driver.Host.Services.GetRequiredService<EngagementStore>();
        await store.UpdateAsync(id, row =>
        {
            row.Decision = "approved";
            row.DecisionReason = "Meets every criterion.";
            row.DecidedBy = "test-supervisor";
            return true;
        }, CancellationToken.None);
        await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);
        EngagementRecord first = await Eventually.GetAsync(
            async () => await store.GetAsync(id, CancellationToken.None) is { ContractRequestId: not null } row ? row : null,
            Patience,
            "the first resume's contract request");
        await Eventually.UntilAsync(() => Task.FromResult(driver.Mails(id, EngagementDriver.RequestMail).Length == 1), Patience, "its mail");

        // The contractor answered (without what the contract needs) and the workflow was lost before it asked again.
        await driver.Host.Durable.TerminateInstanceAsync(id);
        await StatusAsync(id, OrchestrationRuntimeStatus.Terminated);
        Assert.True(await driver.Host.Services.GetRequiredService<VendorRequests>().CloseAsync(id, first.ContractRequestId!, RequestStatus.Fulfilled, "test-contractor", CancellationToken.None));
        SweepReport again = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Contains(id, again.EngagementWorkflowsRestarted);
        string[] asked = await Eventually.GetAsync(
            () => Task.FromResult(driver.Mails(id, EngagementDriver.RequestMail) is { Length: 2 } mails ? mails : null),
            Patience,
            "the second resume to ask for the contract again");
        Assert.Single(asked, mail => mail.EndsWith($"-{id}.{first.ContractRequestId}.request.eml", StringComparison.Ordinal));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await driver.Host.Durable.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task Qa_1_6_TerminatedReportSchedule_IsStartedAgain_PassingOverPeriodsAlreadyAsked_AndALostPledgeWorkflowGoesToTheTrail()
    {
        string id = await AddEngagementAsync(EngagementStage.Active);
        EngagementStore store = driver.Host.Services.GetRequiredService<EngagementStore>();
        DateOnly today = JapanCalendar.DateAt(DateTimeOffset.UtcNow);
        await ReportScenario.CompleteContractAsync(store, id, DateTimeOffset.UtcNow.AddDays(-75));
        await store.UpdateAsync(id, row =>
        {
            // Monthly from the first of the month before last: periods 1 and 2 are over, so the schedule asks for both at
            // once and waits for period 3, this month's.
            row.ContractStartsOn = Format(new DateOnly(today.Year, today.Month, 1).AddMonths(-2));
            row.ContractEndsOn = Format(today.AddYears(1));
            return true;
        }, CancellationToken.None);
        Assert.True(await driver.Host.Services.GetRequiredService<StartReporting>().StartAsync(driver.Host.Durable, new ReportingStart(id)));
        Assert.True(await StartPledges.StartAsync(driver.Host.Durable, store, id));
        string schedule = ReportingWorkflow.InstanceId(id);
        string[] periodRequests = [.. Enumerable.Range(1, 2).Select(n => ReportPeriodWorkflow.RequestId(ReportPeriodWorkflow.InstanceId(id, n), 1))];
        await Eventually.UntilAsync(() => Task.FromResult(periodRequests.All(request => driver.Mails(id, $@"{request}\.request").Length == 1)), Patience, "periods 1 and 2 to be asked for");
        OrchestrationMetadata firstPeriod = (await driver.Host.Durable.GetInstanceAsync(ReportPeriodWorkflow.InstanceId(id, 1)))!;
        // Lost while it runs: the engine's terminate of an instance that has not started yet can be overtaken by its start
        // (seen on a busy machine: the sweep then found the pledge workflow running, not lost).
        await StatusAsync(PledgeWorkflowInput.InstanceId(id), OrchestrationRuntimeStatus.Running);
        await driver.Host.Durable.TerminateInstanceAsync(schedule);
        await driver.Host.Durable.TerminateInstanceAsync(PledgeWorkflowInput.InstanceId(id));
        OrchestrationMetadata terminated = await StatusAsync(schedule, OrchestrationRuntimeStatus.Terminated);
        await StatusAsync(PledgeWorkflowInput.InstanceId(id), OrchestrationRuntimeStatus.Terminated);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal([schedule], report.ReportSchedulesRestarted);
        Assert.Equal([PledgeWorkflowInput.InstanceId(id)], report.DutyWorkflowsLost);
        await Eventually.UntilAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(schedule, getInputsAndOutputs: true) is { RuntimeStatus: OrchestrationRuntimeStatus.Running } running
                && running.CreatedAt > terminated.CreatedAt && running.SerializedCustomStatus?.Contains("period 3", StringComparison.Ordinal) == true,
            Patience,
            "the schedule to wait for period 3 again");
        Assert.All(periodRequests, request => Assert.Single(driver.Mails(id, $@"{request}\.request")));
        Assert.Equal(firstPeriod.CreatedAt, (await driver.Host.Durable.GetInstanceAsync(ReportPeriodWorkflow.InstanceId(id, 1)))!.CreatedAt);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await driver.Host.Durable.GetInstanceAsync(PledgeWorkflowInput.InstanceId(id)))!.RuntimeStatus);

        SweepReport again = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Empty(again.ReportSchedulesRestarted);
        Assert.Equal([PledgeWorkflowInput.InstanceId(id)], again.DutyWorkflowsLost);
        IReadOnlyList<AuditEntry> trail = await TrailAsync(id);
        Assert.Equal("terminated", Assert.Single(trail, entry => entry.Action == AuditActions.ReportScheduleRestarted).Details["previousStatus"]);
        Assert.Equal(PledgeWorkflowInput.InstanceId(id), Assert.Single(trail, entry => entry.Action == AuditActions.DutyWorkflowLost).Details["instanceId"]);
    }

    [Fact]
    public async Task Qa_7_3_OverdueCheckout_WhoseChaseWasTerminated_IsChasedAgain_WithoutRepeatingItsReminder()
    {
        string id = await AddEngagementAsync(EngagementStage.Active);
        DateOnly today = JapanCalendar.DateAt(DateTimeOffset.UtcNow);
        string overdue = await AddCheckoutAsync(id, dueBack: today.AddDays(-2), returnedOn: null);
        string returned = await AddCheckoutAsync(id, dueBack: today.AddDays(-2), returnedOn: today.AddDays(-1));
        string instanceId = CheckoutEndpoints.CheckoutInstanceId(id, overdue);
        await driver.Host.Durable.ScheduleNewOrchestrationInstanceAsync(
            nameof(CheckoutWorkflow),
            new CheckoutWorkflowInput(id, overdue, today.AddDays(-2), TimeSpan.FromDays(3), 3),
            new StartOrchestrationOptions(instanceId));
        // Overdue already: the first reminder goes at once.
        await Eventually.UntilAsync(() => Task.FromResult(driver.Mails(id, $@"checkout\.{overdue}\.overdue\.1").Length == 1), Patience, "the first reminder");
        await driver.Host.Durable.TerminateInstanceAsync(instanceId);
        OrchestrationMetadata terminated = await StatusAsync(instanceId, OrchestrationRuntimeStatus.Terminated);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Contains(instanceId, report.OverdueCheckouts);
        Assert.DoesNotContain(CheckoutEndpoints.CheckoutInstanceId(id, returned), report.OverdueCheckouts);
        Assert.Contains(instanceId, report.CheckoutWorkflowsRestarted);
        await Eventually.UntilAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(instanceId) is { RuntimeStatus: OrchestrationRuntimeStatus.Running } running && running.CreatedAt > terminated.CreatedAt,
            Patience,
            "the restarted chase");
        AuditEntry audited = Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.CheckoutWorkflowRestarted);
        Assert.Equal(overdue, audited.Details["checkoutId"]);
        Assert.Equal("terminated", audited.Details["previousStatus"]);
        Assert.Equal("2", audited.Details["daysOverdue"]);

        // The restarted chase replays reminder 1 through its mail key: sent once, and the next waits for its interval.
        await Eventually.UntilAsync(
            async () => (await TrailAsync(id)).Count(entry => entry.Action == AuditActions.CheckoutOverdue) == 1
                && (await driver.Host.Services.GetRequiredService<HandoverStore>().GetCheckoutAsync(id, overdue, CancellationToken.None))!.OverdueReminders == 1,
            Patience,
            "the first reminder recorded");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(driver.Mails(id, $@"checkout\.{overdue}\.overdue\.\d+"));
        SweepReport again = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.DoesNotContain(instanceId, again.CheckoutWorkflowsRestarted);
    }

    [Fact]
    public async Task TheSweep_VisitsEachRegisteredEngagementThroughItsOwnPartition_AndScansNoTable()
    {
        string id = await AddEngagementAsync(EngagementStage.Active);
        DateOnly today = JapanCalendar.DateAt(DateTimeOffset.UtcNow);
        string overdue = await AddCheckoutAsync(id, dueBack: today.AddDays(-2), returnedOn: null);
        // Registered by an onboarding whose commit never came.
        string neverCommitted = EngagementIds.New();
        await driver.Host.Services.GetRequiredService<EngagementRegistry>().RegisterAsync(neverCommitted, CancellationToken.None);
        var calls = new TableCalls();
        string mail = Path.Combine(Path.GetTempPath(), "sweep-reads-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mail);
        try
        {
            // The sweep as the hosts build it, in a process of its own whose table calls are recorded.
            await using ServiceProvider services = LibraryServices.Build(azurite.ConnectionString, mail, calls);

            SweepReport report = await services.GetRequiredService<DailySweep>().RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

            Assert.Contains(CheckoutEndpoints.CheckoutInstanceId(id, overdue), report.OverdueCheckouts);
            Assert.DoesNotContain(id, report.Failures);
            Assert.DoesNotContain(neverCommitted, report.Failures);
            Assert.NotEmpty(calls.Filters());
            Assert.All(calls.Filters(), filter => Assert.StartsWith("PartitionKey eq '", filter, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(mail, recursive: true);
        }
    }

    [Fact]
    public async Task AnEngagementWhoseRowsCannotBeRead_IsReportedAsAFailure_AndTheEngagementsAfterItAreSweptAllTheSame()
    {
        // The registry lists engagements in the order of their ids: the unreadable one comes first.
        string[] ids = [await AddEngagementAsync(EngagementStage.Active), await AddEngagementAsync(EngagementStage.Active)];
        Array.Sort(ids, StringComparer.Ordinal);
        (string unreadable, string readable) = (ids[0], ids[1]);
        await driver.Host.Engagements.AddEntityAsync(new TableEntity(unreadable, CheckoutRecord.Key("unreadable")) { [nameof(CheckoutRecord.DueBack)] = 42 });
        DateOnly today = JapanCalendar.DateAt(DateTimeOffset.UtcNow);
        string overdue = await AddCheckoutAsync(readable, dueBack: today.AddDays(-2), returnedOn: null);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Contains(unreadable, report.Failures);
        Assert.Contains(CheckoutEndpoints.CheckoutInstanceId(readable, overdue), report.OverdueCheckouts);
        Assert.DoesNotContain(readable, report.Failures);
    }

    [Fact]
    public async Task Qa_3_1_ASubcontractorsCertificate_IsWatchedLikeTheContractors_AndItsRenewalAskedOfTheSubcontractorAlone()
    {
        string id = await AddEngagementAsync(EngagementStage.Active);
        string inForce = await AddTierAsync(id, SubcontractStatus.InForce, PrivacyMark);
        string suspended = await AddTierAsync(id, SubcontractStatus.Suspended, PrivacyMark);
        string requestId = DailySweep.RenewalRequestId(id, PrivacyMark, inForce);
        var now = new DateTimeOffset(2027, 2, 15, 1, 0, 0, TimeSpan.Zero);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, now, CancellationToken.None);

        Assert.Contains(requestId, report.RenewalRequestsOpened);
        Assert.DoesNotContain(DailySweep.RenewalRequestId(id, PrivacyMark, suspended), report.RenewalRequestsOpened);
        Assert.DoesNotContain(DailySweep.RenewalRequestId(id, PrivacyMark), report.RenewalRequestsOpened);
        await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        VendorRequestRecord request = (await driver.Host.Services.GetRequiredService<VendorRequests>().GetAsync(id, requestId, CancellationToken.None))!;
        Assert.Equal(inForce, request.Subject);
        Assert.Equal("kato@fuunyu.example.co.jp", request.RecipientEmail);
        Assert.Equal("株式会社封入センター", request.RecipientOrganisation);
    }

    [Fact]
    public async Task Qa_7_2_AnEngagementPastItsPlannedEnd_IsEndedBySweep_AndItsTiersAreAskedToReturnOrErase()
    {
        string id = await AddEngagementAsync(EngagementStage.Active);
        await driver.Host.Services.GetRequiredService<EngagementStore>().UpdateAsync(id, record =>
        {
            record.ContractEndsOn = "2027-01-31";
            return true;
        }, CancellationToken.None);

        SweepReport report = await Sweep.RunAsync(driver.Host.Durable, new DateTimeOffset(2027, 2, 15, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);
        SweepReport again = await Sweep.RunAsync(driver.Host.Durable, new DateTimeOffset(2027, 2, 16, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.Contains(id, report.EngagementsEnded!);
        Assert.DoesNotContain(id, again.EngagementsEnded!);
        EngagementRecord ended = (await driver.Host.Services.GetRequiredService<EngagementStore>().GetAsync(id, CancellationToken.None))!;
        Assert.Equal(nameof(EngagementStage.Closing), ended.Stage);
        Assert.Equal(AuditActors.System, ended.EndedBy);
        Assert.NotNull(await driver.Host.Durable.GetInstanceAsync(Supervision.Closing.ClosingInput.InstanceId(id)));
    }

    [Fact]
    public async Task Qa_2_4_ThirtyDaysBeforeThePlannedEnd_TheContractorIsToldOnceWhatItWillOweBack()
    {
        string id = await AddEngagementAsync(EngagementStage.Active);
        await driver.Host.Services.GetRequiredService<EngagementStore>().UpdateAsync(id, record =>
        {
            record.ContractEndsOn = "2027-03-31";
            return true;
        }, CancellationToken.None);

        SweepReport early = await Sweep.RunAsync(driver.Host.Durable, new DateTimeOffset(2027, 2, 27, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);
        SweepReport due = await Sweep.RunAsync(driver.Host.Durable, new DateTimeOffset(2027, 3, 1, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);
        SweepReport again = await Sweep.RunAsync(driver.Host.Durable, new DateTimeOffset(2027, 3, 2, 1, 0, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.DoesNotContain(id, early.EndNoticesSent!);
        Assert.Contains(id, due.EndNoticesSent!);
        Assert.DoesNotContain(id, again.EndNoticesSent!);
        string mail = Assert.Single(driver.Mails(id, "end-notice"));
        using MimeKit.MimeMessage message = await MimeKit.MimeMessage.LoadAsync(mail);
        Assert.Contains("Wednesday, March 31, 2027", message.TextBody, StringComparison.Ordinal);
        Assert.Single(await TrailAsync(id), entry => entry.Action == AuditActions.EndNoticeSent);
        Assert.Equal(nameof(EngagementStage.Active), (await driver.Host.Services.GetRequiredService<EngagementStore>().GetAsync(id, CancellationToken.None))!.Stage);
    }

    [Fact]
    public async Task Qa_6_1_AnOpenIncidentWhoseWorkflowIsLost_IsFollowedAgainBySweep_Once()
    {
        string id = await AddEngagementAsync(EngagementStage.Active);
        EngagementRecord engagement = (await driver.Host.Services.GetRequiredService<EngagementStore>().GetAsync(id, CancellationToken.None))!;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var facts = new Supervision.Domain.Incidents.IncidentFacts(
            Supervision.Domain.Incidents.IncidentKind.Loss, "A box of forms lost in transit.", now.AddHours(-3), now.AddHours(-1), ["name"], 20, Tiers.Contractor, null, false, false, false, false, false);
        string incidentId = EngagementIds.New();
        await driver.Host.Services.GetRequiredService<Supervision.Incidents.IncidentIntake>().RecordAsync(engagement, incidentId, facts, AuditActors.System, CancellationToken.None);
        string instanceId = Supervision.Incidents.IncidentRecord.InstanceId(id, incidentId);

        SweepReport first = await Sweep.RunAsync(driver.Host.Durable, now, CancellationToken.None);
        SweepReport second = await Sweep.RunAsync(driver.Host.Durable, now, CancellationToken.None);

        Assert.Contains(instanceId, first.IncidentWorkflowsRestarted!);
        Assert.DoesNotContain(instanceId, second.IncidentWorkflowsRestarted!);
        await Eventually.UntilAsync(
            async () => (await TrailAsync(id)).Any(entry => entry.Action == AuditActions.IncidentNotified),
            Patience,
            "the restarted workflow to tell the supervisors");
    }

    private async Task<string> AddTierAsync(string engagementId, SubcontractStatus status, params Certificate[] certificates)
    {
        string tierId = EngagementIds.New();
        await driver.Host.Engagements.AddEntityAsync(new TierRecord
        {
            PartitionKey = engagementId,
            RowKey = TierRecord.Key(tierId),
            Depth = 2,
            Path = $"{Tiers.Contractor}/{tierId}",
            CompanyName = "株式会社封入センター",
            ContactName = "加藤 次郎",
            ContactEmail = "kato@fuunyu.example.co.jp",
            GovernedBy = "PriorApproval",
            Policy = "PriorApproval",
            Status = status.ToString(),
            RequestedAt = DateTimeOffset.UtcNow,
            Certificates = JsonSerializer.Serialize(certificates, ApiJson.Options),
        });
        return tierId;
    }

    private async Task<string> AddEngagementAsync(EngagementStage stage, params Certificate[] certificates)
    {
        string id = EngagementIds.New();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await driver.Host.Engagements.AddEntityAsync(new EngagementRecord
        {
            PartitionKey = id,
            ContractorName = "株式会社サンプル印刷",
            Stage = stage.ToString(),
            Request = Onboarding,
            RequestHash = "test",
            CreatedAt = now,
            StageChangedAt = now,
            Certificates = certificates.Length == 0 ? null : JsonSerializer.Serialize(certificates, ApiJson.Options),
        });
        // As onboarding registers it: the sweep visits what the registry lists.
        await driver.Host.Services.GetRequiredService<EngagementRegistry>().RegisterAsync(id, CancellationToken.None);
        return id;
    }

    private async Task<string> AddCheckoutAsync(string engagementId, DateOnly dueBack, DateOnly? returnedOn)
    {
        string checkoutId = Guid.NewGuid().ToString("N");
        await driver.Host.Engagements.AddEntityAsync(new CheckoutRecord
        {
            PartitionKey = engagementId,
            RowKey = CheckoutRecord.Key(checkoutId),
            ItemDescription = "Installation work orders, batch 12",
            CheckedOutOn = Format(dueBack.AddDays(-3)),
            DueBack = Format(dueBack),
            ReturnedOn = returnedOn is { } back ? Format(back) : null,
            RecordedBy = "test-procurement",
            RecordedAt = DateTimeOffset.UtcNow,
            EntryHash = "test",
        });
        return checkoutId;
    }

    private Task<OrchestrationMetadata> StatusAsync(string instanceId, OrchestrationRuntimeStatus status) => Eventually.GetAsync(
        async () => await driver.Host.Durable.GetInstanceAsync(instanceId) is { } metadata && metadata.RuntimeStatus == status ? metadata : null,
        Patience,
        $"{instanceId} {status}");

    private const string RenewalMail = @"[0-9a-f]{32}\.request";

    private async Task<List<Certificate>> CertificatesAsync(string engagementId) =>
        JsonSerializer.Deserialize<List<Certificate>>((await driver.Host.Services.GetRequiredService<EngagementStore>().GetAsync(engagementId, CancellationToken.None))!.Certificates!, ApiJson.Options)!;

    private async Task<IReadOnlyList<AuditEntry>> TrailAsync(string engagementId) =>
        await driver.Host.Services.GetRequiredService<AuditLog>().ListAsync(engagementId, CancellationToken.None);

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
