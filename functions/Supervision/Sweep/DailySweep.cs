using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Domain.Audit;
using Supervision.Domain.Closing;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Selection;
using Supervision.Domain.Subcontracts;
using Supervision.Domain.Vendors;
using Supervision.Engagements;
using Supervision.Handovers;
using Supervision.Incidents;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Pledges;
using Supervision.Reports;
using Supervision.Storage;
using Supervision.Training;
using Supervision.Vendors;

namespace Supervision.Sweep;

/// <summary>When the sweep runs (<c>Supervision:Sweep</c>).</summary>
public sealed class SweepOptions
{
    public const string Section = "Supervision:Sweep";

    /// <summary>The Functions timer's NCRONTAB schedule in UTC, read by the trigger as <c>%Supervision:Sweep:Schedule%</c>: 05:00 JST.</summary>
    public const string DefaultSchedule = "0 0 20 * * *";

    /// <summary>How often the local host sweeps, after a first sweep at start-up.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether the local host sweeps on its own; tests that share one storage account turn it off and sweep when they choose.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>What one sweep found and did; ids are engagement ids, request ids or durable instance ids.</summary>
public sealed record SweepReport(
    DateOnly Today,
    int EngagementsScanned,
    int CheckoutsScanned,
    IReadOnlyList<string> RenewalRequestsOpened,
    IReadOnlyList<string> RenewalRequestsAlreadyOpen,
    IReadOnlyList<string> OverdueCheckouts,
    IReadOnlyList<string> CheckoutWorkflowsRestarted,
    IReadOnlyList<string> EngagementWorkflowsRestarted,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> ReportSchedulesRestarted,
    IReadOnlyList<string> DutyWorkflowsLost,
    RelayReport? Events = null,
    int TrailsAnchored = 0,
    IReadOnlyList<string>? EngagementsEnded = null,
    IReadOnlyList<string>? IncidentWorkflowsRestarted = null,
    IReadOnlyList<string>? EndNoticesSent = null,
    IReadOnlyList<string>? FollowersCaughtUp = null);

/// <summary>
/// The daily sweep: delivers events still owed to workflows, anchors the audit trails whose head moved, starts the chase
/// of renewal evidence of certificates nearing or past expiry (1-5), makes sure every overdue checkout (7-3) is being
/// chased, and starts again any engagement workflow that is missing, failed or terminated, and an active engagement's
/// failed or terminated report schedule (it passes quickly over the periods it already started); a failed or terminated
/// pledge or training workflow is put in the trail and the log for a person. Every step is idempotent, so sweeping twice
/// a day does each thing once; one engagement's failure is reported and does not stop the rest.
/// </summary>
public sealed class DailySweep(
    TableServiceClient tables,
    AuditLog audit,
    AuditAnchors anchors,
    EventOutbox outbox,
    EngagementEnding ending,
    IncidentStore incidents,
    IEnumerable<ITrailCatchUp> followers,
    IOptions<RequestOptions> requestOptions,
    ILogger<DailySweep> logger)
{
    public const string RenewalRequestKind = "certificate-renewal";
    public const string RenewalFiledOnQuestion = "renewalFiledOn";
    public const string RenewedExpiresOnQuestion = "renewedExpiresOn";

    private static readonly OrchestrationRuntimeStatus[] Lost = [OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    private readonly TableClient engagements = tables.GetTableClient(TableNames.Engagements);

    /// <summary>
    /// The renewal request of one certificate: the same engagement, kind and expiry give the same id, so a repeated sweep
    /// finds the request it opened; a renewed certificate (a new expiry) gets a new one.
    /// </summary>
    public static string RenewalRequestId(string engagementId, Certificate certificate, string? tierId = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string holder = tierId is null ? engagementId : $"{engagementId}|{tierId}";
        string source = $"{holder}|{certificate.Kind}|{certificate.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)).AsSpan(0, 16));
    }

    public async Task<SweepReport> RunAsync(DurableTaskClient durable, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        DateOnly today = JapanCalendar.DateAt(now);
        var opened = new List<string>();
        var alreadyOpen = new List<string>();
        var overdue = new List<string>();
        var checkoutsRestarted = new List<string>();
        var engagementsRestarted = new List<string>();
        var failures = new List<string>();
        var schedulesRestarted = new List<string>();
        var dutiesLost = new List<string>();
        var engagementsEnded = new List<string>();
        var incidentsRestarted = new List<string>();
        var endNoticesSent = new List<string>();
        var followersCaughtUp = new List<string>();

        // First the events committed and not yet delivered: a workflow waiting on one of them is not lost, only unaware.
        RelayReport events = await outbox.RelayAsync(durable, cancellationToken);

        // One scan of the engagement rows, only the columns the sweep reads.
        int engagementCount = 0;
        int trailsAnchored = 0;
        string engagementFilter = TableClient.CreateQueryFilter($"RowKey eq {EngagementRecord.MainRowKey}");
        string[] columns = [nameof(EngagementRecord.PartitionKey), nameof(EngagementRecord.RowKey), nameof(EngagementRecord.Stage), nameof(EngagementRecord.Certificates), nameof(EngagementRecord.ContractEndsOn)];
        await foreach (EngagementRecord row in engagements.QueryAsync<EngagementRecord>(engagementFilter, select: columns, cancellationToken: cancellationToken))
        {
            engagementCount++;
            if (await TryAnchorAsync(row.EngagementId, cancellationToken))
                trailsAnchored++;
            await CatchUpFollowersAsync(row.EngagementId, followersCaughtUp, failures, cancellationToken);
            if (!Enum.TryParse(row.Stage, out EngagementStage stage) || stage == EngagementStage.Rejected)
                continue;
            try
            {
                DateOnly? endsOn = row.ContractEndsOn is { } plannedEnd ? DateOnly.ParseExact(plannedEnd, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
                if (stage == EngagementStage.Active && endsOn is { } end && PlannedEnd.HasPassed(end, today))
                {
                    // The contract's planned end has passed: the work ends, and every tier is asked to return or erase.
                    if (await ending.EndAsync(row.EngagementId, AuditActors.System, $"planned end {row.ContractEndsOn} passed", durable, cancellationToken))
                        engagementsEnded.Add(row.EngagementId);
                }
                else if (stage == EngagementStage.Active)
                {
                    if (endsOn is { } near && PlannedEnd.NoticeIsDue(near, today, ending.Options.NoticeDays) && await ending.NoticeAsync(row.EngagementId, near, cancellationToken))
                        endNoticesSent.Add(row.EngagementId);
                    await RequestRenewalsAsync(durable, row.EngagementId, null, row.Certificates, now, today, opened, alreadyOpen, cancellationToken);
                    if (await RestartScheduleIfLostAsync(durable, row.EngagementId, cancellationToken))
                        schedulesRestarted.Add(ReportingWorkflow.InstanceId(row.EngagementId));
                    await RecordLostDutiesAsync(durable, row.EngagementId, dutiesLost, cancellationToken);
                }
                else if (stage == EngagementStage.Closing)
                {
                    // The returns of an ended engagement: a lost workflow is started again; it asks only the tiers not yet certified.
                    string closingId = ClosingInput.InstanceId(row.EngagementId);
                    if (await durable.GetInstanceAsync(closingId, cancellationToken) is not { } closing || Lost.Contains(closing.RuntimeStatus))
                    {
                        if (await TryStartAsync(durable, nameof(ClosingWorkflow), new ClosingInput(row.EngagementId), closingId, cancellationToken))
                            engagementsRestarted.Add(closingId);
                    }
                }

                if (await RestartEngagementIfLostAsync(durable, row.EngagementId, now, cancellationToken))
                    engagementsRestarted.Add(row.EngagementId);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sweep of engagement {EngagementId} failed", row.EngagementId);
                failures.Add(row.EngagementId);
            }
        }

        // One scan of the checkout rows: '}' follows '|', so [checkout|, checkout}) is exactly the prefix.
        int checkoutCount = 0;
        string upper = CheckoutRecord.Prefix[..^1] + (char)(CheckoutRecord.Prefix[^1] + 1);
        string checkoutFilter = TableClient.CreateQueryFilter($"RowKey ge {CheckoutRecord.Prefix} and RowKey lt {upper}");
        await foreach (CheckoutRecord row in engagements.QueryAsync<CheckoutRecord>(checkoutFilter, cancellationToken: cancellationToken))
        {
            checkoutCount++;
            try
            {
                Checkout checkout = CheckoutEndpoints.ToCheckout(row);
                if (row.ReturnedOn is not null || !CheckoutRules.IsOverdue(checkout, null, today))
                    continue;
                string instanceId = CheckoutEndpoints.CheckoutInstanceId(row.EngagementId, row.CheckoutId);
                overdue.Add(instanceId);
                if (await RestartCheckoutIfLostAsync(durable, row, checkout, today, cancellationToken))
                    checkoutsRestarted.Add(instanceId);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sweep of checkout {CheckoutId} of engagement {EngagementId} failed", row.CheckoutId, row.EngagementId);
                failures.Add(CheckoutEndpoints.CheckoutInstanceId(row.EngagementId, row.CheckoutId));
            }
        }

        // One scan of the subcontractors' rows: their certificates are watched as the contractor's are (3-1).
        string tierUpper = TierRecord.Prefix[..^1] + (char)(TierRecord.Prefix[^1] + 1);
        string tierFilter = TableClient.CreateQueryFilter($"RowKey ge {TierRecord.Prefix} and RowKey lt {tierUpper} and Status eq {nameof(SubcontractStatus.InForce)}");
        string[] tierColumns = [nameof(TierRecord.PartitionKey), nameof(TierRecord.RowKey), nameof(TierRecord.Certificates)];
        await foreach (TierRecord row in engagements.QueryAsync<TierRecord>(tierFilter, select: tierColumns, cancellationToken: cancellationToken))
        {
            try
            {
                await RequestRenewalsAsync(durable, row.EngagementId, row.TierId, row.Certificates, now, today, opened, alreadyOpen, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sweep of tier {TierId} of engagement {EngagementId} failed", row.TierId, row.EngagementId);
                failures.Add(Tiers.InstanceId(row.EngagementId, row.TierId));
            }
        }

        // The open incidents (a range of their rows in every partition): one whose workflow is missing, failed or
        // terminated is started again; its notice and reminders are keyed, so nothing goes twice.
        foreach (IncidentRecord incident in await incidents.ListAllAsync(IncidentStates.Open, cancellationToken))
        {
            string instanceId = IncidentRecord.InstanceId(incident.EngagementId, incident.IncidentId);
            try
            {
                OrchestrationMetadata? workflow = await durable.GetInstanceAsync(instanceId, cancellationToken);
                if ((workflow is null || Lost.Contains(workflow.RuntimeStatus))
                    && await TryStartAsync(durable, nameof(IncidentWorkflow), new IncidentWorkflowInput(incident.EngagementId, incident.IncidentId, Judged: incident.JudgedBy is not null), instanceId, cancellationToken))
                    incidentsRestarted.Add(instanceId);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sweep of incident {IncidentId} of engagement {EngagementId} failed", incident.IncidentId, incident.EngagementId);
                failures.Add(instanceId);
            }
        }

        var report = new SweepReport(today, engagementCount, checkoutCount, opened, alreadyOpen, overdue, checkoutsRestarted, engagementsRestarted, failures, schedulesRestarted, dutiesLost, events, trailsAnchored, engagementsEnded, incidentsRestarted, endNoticesSent, followersCaughtUp);
        logger.LogInformation(
            "Sweep of {Today}: {Engagements} engagements, {Opened} renewal requests opened ({AlreadyOpen} already open), {Overdue} overdue checkouts ({CheckoutsRestarted} chases restarted), {EngagementsRestarted} workflows and {SchedulesRestarted} report schedules restarted, {DutiesLost} duty workflows lost, {TrailsAnchored} trails anchored, {Failures} failures",
            today, engagementCount, opened.Count, alreadyOpen.Count, overdue.Count, checkoutsRestarted.Count, engagementsRestarted.Count, schedulesRestarted.Count, dutiesLost.Count, trailsAnchored, failures.Count);
        return report;
    }

    /// <summary>Brings every follower of the trail (the portfolio index) up to the engagement's trail where it fell behind.</summary>
    private async Task CatchUpFollowersAsync(string engagementId, List<string> caughtUp, List<string> failures, CancellationToken cancellationToken)
    {
        try
        {
            foreach (ITrailCatchUp follower in followers)
            {
                if (await follower.CatchUpAsync(engagementId, cancellationToken))
                    caughtUp.Add(engagementId);
            }
        }
        catch (RequestFailedException e)
        {
            logger.LogError(e, "Trail followers of engagement {EngagementId} could not catch up", engagementId);
            failures.Add(engagementId);
        }
    }

    /// <summary>Anchors the engagement's trail where its head moved since the last sweep; a failure is logged and left for tomorrow.</summary>
    private async Task<bool> TryAnchorAsync(string engagementId, CancellationToken cancellationToken)
    {
        try
        {
            return await anchors.AnchorAsync(engagementId, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            logger.LogError(e, "The trail of engagement {EngagementId} could not be anchored", engagementId);
            return false;
        }
    }

    /// <summary>
    /// Starts the renewal chase of each certificate due for renewal evidence, once per certificate and expiry. A chase
    /// already running or done is left alone; a failed or terminated one is started again (its request and mail are keyed).
    /// </summary>
    private async Task RequestRenewalsAsync(
        DurableTaskClient durable, string engagementId, string? tierId, string? certificatesJson, DateTimeOffset now, DateOnly today, List<string> opened, List<string> alreadyOpen, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(certificatesJson))
            return;
        List<Certificate> certificates = JsonSerializer.Deserialize<List<Certificate>>(certificatesJson, ApiJson.Options) ?? [];
        foreach (RenewalDue due in CertificateRenewal.Due(certificates, today))
        {
            string requestId = RenewalRequestId(engagementId, due.Certificate, tierId);
            string instanceId = CertificateRenewalInput.InstanceId(engagementId, due.Certificate, tierId);
            var input = new CertificateRenewalInput(engagementId, due.Certificate, due.Status, due.Window, now + requestOptions.Value.AnswerWithin, TierId: tierId);
            OrchestrationMetadata? previous = await durable.GetInstanceAsync(instanceId, cancellationToken);
            bool started = (previous is null || Lost.Contains(previous.RuntimeStatus))
                && await TryStartAsync(durable, nameof(CertificateRenewalWorkflow), input, instanceId, cancellationToken);
            (started ? opened : alreadyOpen).Add(requestId);
        }
    }

    /// <summary>Starts the engagement's workflow again, resuming where the engagement stands, if it is missing, failed or terminated.</summary>
    private async Task<bool> RestartEngagementIfLostAsync(DurableTaskClient durable, string engagementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? previous = await durable.GetInstanceAsync(engagementId, cancellationToken);
        if (previous is not null && !Lost.Contains(previous.RuntimeStatus))
            return false;

        if (!await TryStartAsync(durable, nameof(EngagementWorkflow), new EngagementWorkflowInput(engagementId, Resume: true, ResumedAt: now.UtcTicks), engagementId, cancellationToken))
            return false;
        string status = StatusName(previous);
        var details = new Dictionary<string, string> { ["previousStatus"] = status };
        if (previous is not null)
            details["previousCreatedAt"] = previous.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
        if (previous?.FailureDetails is { } failure)
            details["failure"] = failure.ErrorType;
        // Keyed by the lost instance: two sweeps racing over the same loss record it once.
        await audit.AppendAsync(engagementId, AuditActors.System, AuditActions.EngagementWorkflowRestarted, details, cancellationToken,
            entryKey: $"workflow.restarted.{LossKey(previous)}");
        logger.LogWarning("Engagement {EngagementId}: workflow was {PreviousStatus}, started again", engagementId, status);
        return true;
    }

    /// <summary>
    /// Starts an active engagement's report schedule again from period 1 if it failed or was terminated: each period
    /// already started is found started (its own workflow is left as it is), so the schedule passes over them and waits
    /// for the first period not yet due. A schedule not there yet is the engagement workflow's to start.
    /// </summary>
    private async Task<bool> RestartScheduleIfLostAsync(DurableTaskClient durable, string engagementId, CancellationToken cancellationToken)
    {
        string instanceId = ReportingWorkflow.InstanceId(engagementId);
        OrchestrationMetadata? previous = await durable.GetInstanceAsync(instanceId, cancellationToken);
        if (previous is null || !Lost.Contains(previous.RuntimeStatus))
            return false;
        if (!await TryStartAsync(durable, nameof(ReportingWorkflow), new ReportingInput(engagementId, 1), instanceId, cancellationToken))
            return false;

        string status = StatusName(previous);
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            AuditActions.ReportScheduleRestarted,
            new Dictionary<string, string> { ["instanceId"] = instanceId, ["previousStatus"] = status },
            cancellationToken,
            entryKey: $"reports.restarted.{LossKey(previous)}");
        logger.LogWarning("Engagement {EngagementId}: report schedule was {PreviousStatus}, started again", engagementId, status);
        return true;
    }

    /// <summary>Puts each failed or terminated pledge or training workflow of the engagement in its trail (once per loss) and the log.</summary>
    private async Task RecordLostDutiesAsync(DurableTaskClient durable, string engagementId, List<string> lost, CancellationToken cancellationToken)
    {
        foreach (string instanceId in (string[])[PledgeWorkflowInput.InstanceId(engagementId), TrainingWorkflowInput.InstanceId(engagementId)])
        {
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is not { } previous || !Lost.Contains(previous.RuntimeStatus))
                continue;
            lost.Add(instanceId);
            var details = new Dictionary<string, string> { ["instanceId"] = instanceId, ["status"] = StatusName(previous) };
            if (previous.FailureDetails is { } failure)
                details["failure"] = failure.ErrorType;
            await audit.AppendAsync(engagementId, AuditActors.System, AuditActions.DutyWorkflowLost, details, cancellationToken,
                entryKey: $"duty.lost.{instanceId}.{LossKey(previous)}");
            logger.LogError("Engagement {EngagementId}: duty workflow {InstanceId} is {Status}; it needs a person, it is not started again", engagementId, instanceId, details["status"]);
        }
    }

    private static string StatusName(OrchestrationMetadata? instance) =>
        instance is null ? "missing" : JsonNamingPolicy.CamelCase.ConvertName(instance.RuntimeStatus.ToString());

    /// <summary>What tells one loss of an instance from another: when the lost instance was created.</summary>
    private static string LossKey(OrchestrationMetadata? lost) =>
        lost?.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "missing";

    private async Task<bool> RestartCheckoutIfLostAsync(DurableTaskClient durable, CheckoutRecord row, Checkout checkout, DateOnly today, CancellationToken cancellationToken)
    {
        string instanceId = CheckoutEndpoints.CheckoutInstanceId(row.EngagementId, row.CheckoutId);
        OrchestrationMetadata? previous = await durable.GetInstanceAsync(instanceId, cancellationToken);
        if (previous is not null && !Lost.Contains(previous.RuntimeStatus))
            return false;

        // As CheckoutEndpoints starts it. Reminders already sent are keyed, so the restarted chase sends none twice.
        RequestOptions chase = requestOptions.Value;
        if (!await TryStartAsync(
            durable,
            nameof(CheckoutWorkflow),
            new CheckoutWorkflowInput(row.EngagementId, row.CheckoutId, checkout.DueBack, chase.ReminderInterval, chase.MaxReminders),
            instanceId,
            cancellationToken))
            return false;
        string status = StatusName(previous);
        await audit.AppendAsync(
            row.EngagementId,
            AuditActors.System,
            AuditActions.CheckoutWorkflowRestarted,
            new Dictionary<string, string>
            {
                ["checkoutId"] = row.CheckoutId,
                ["dueBack"] = row.DueBack,
                ["daysOverdue"] = CheckoutRules.DaysOverdue(checkout, null, today).ToString(CultureInfo.InvariantCulture),
                ["previousStatus"] = status,
            },
            cancellationToken,
            entryKey: $"checkout.{row.CheckoutId}.restarted.{LossKey(previous)}");
        logger.LogWarning("Checkout {CheckoutId} of engagement {EngagementId}: chase was {PreviousStatus}, started again", row.CheckoutId, row.EngagementId, status);
        return true;
    }

    /// <summary>Starts the instance; false when someone else (a request, another sweep) started it first.</summary>
    private static async Task<bool> TryStartAsync<TInput>(DurableTaskClient durable, string orchestrator, TInput input, string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is { } now && !Lost.Contains(now.RuntimeStatus))
                return false;
            throw;
        }
    }
}
