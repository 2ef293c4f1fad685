using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Inspections;
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// One corrective action chased until closed. <see cref="Chase"/> carries the chase across <c>ContinueAsNew</c>, so however
/// long an action stays open its history stays one reminder long. <see cref="RequestId"/> is the request through which
/// the contractor reports the correction (<see cref="Attempt"/> counts the requests, a refused report opening the next);
/// once a report is taken (<see cref="Reported"/>) only a supervisor's closure is awaited.
/// </summary>
public sealed record CorrectiveActionInput(
    string EngagementId,
    string InspectionId,
    string ActionId,
    Chase Chase,
    string? RequestId = null,
    int Attempt = 1,
    bool Reported = false)
{
    public static string InstanceId(string engagementId, string actionId) => $"{engagementId}-action-{actionId}";
}

/// <summary>Starts the chase of an open action, once: a repeat (or a sweep repairing a start a crash lost) finds it started.</summary>
public static class CorrectiveActionStart
{
    public static async Task EnsureStartedAsync(DurableTaskClient durable, CorrectiveActionRecord action, RequestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(options);
        string instanceId = CorrectiveActionInput.InstanceId(action.PartitionKey, action.ActionId);
        if (action.ClosedOn is not null || await durable.GetInstanceAsync(instanceId, cancellationToken) is not null)
            return;
        var input = new CorrectiveActionInput(
            action.PartitionKey,
            action.InspectionId,
            action.ActionId,
            Chase.Start(
                new ChaseTarget(CorrectiveActionChase.ChaseKind, action.PartitionKey, action.ActionId, Within: action.InspectionId),
                JapanCalendar.EndUtc(InspectionStore.ParseDate(action.DueOn)).UtcDateTime,
                new ChasePolicy(options.ReminderInterval, options.MaxReminders)));
        await DurableStarts.StartOnceAsync(durable, nameof(CorrectiveActionWorkflow), input, instanceId, cancellationToken);
    }
}

/// <summary>Raised by the closure endpoint to the action's workflow.</summary>
public sealed record ActionClosed(string By);

/// <summary>A report request of an action to open (its id derived by the workflow), or one the contractor submitted.</summary>
public sealed record ActionReportRequest(string EngagementId, string InspectionId, string ActionId, string RequestId, string? LinkId = null);

/// <summary>
/// Opens a request through which the contractor reports the correction (what was done, when, and files showing it),
/// mailed at once and due with the action; then takes one step of <see cref="Chasing"/> at a time (due at the end of the
/// due date in Japan) raced with the report and the closure. A report taken stops the reminders; a refused one opens a
/// new request.
/// </summary>
public sealed class CorrectiveActionWorkflow : TaskOrchestrator<CorrectiveActionInput, string>
{
    public const string Closed = "closed";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, CorrectiveActionInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<CorrectiveActionWorkflow>();
        Task<ActionClosed> closed = context.WaitForExternalEvent<ActionClosed>(nameof(ActionClosed));
        if (input.Reported)
            return Close(logger, input, await closed);

        string requestId = input.RequestId ?? RequestIds.Derive(context.InstanceId, $"report.{input.Attempt.ToString(CultureInfo.InvariantCulture)}");
        if (input.RequestId is null)
        {
            if (!await context.CallActivityAsync<bool>(nameof(OpenCorrectiveActionRequest), new ActionReportRequest(input.EngagementId, input.InspectionId, input.ActionId, requestId), ActivityRetry.Options))
                return Closed;
            input = input with { RequestId = requestId };
        }

        Task<VendorRequestFulfilled> reported = RequestChase.FulfilledAsync(context, requestId);
        ChaseOutcome step = await Chasing.StepAsync(context, input.Chase, Task.WhenAny(closed, reported));
        if (step.Over && !closed.IsCompleted && !reported.IsCompleted)
            return Closed;
        input = input with { Chase = step.Chase };

        // Checked after the activities too: an event that arrived while they ran is not carried into the next execution.
        if (closed.IsCompleted)
            return Close(logger, input, closed.Result);
        if (reported.IsCompleted)
        {
            bool taken = await context.CallActivityAsync<bool>(
                nameof(RecordCorrectiveActionReport),
                new ActionReportRequest(input.EngagementId, input.InspectionId, input.ActionId, reported.Result.RequestId, reported.Result.LinkId), ActivityRetry.Options);
            logger.LogInformation("Corrective action {ActionId} of engagement {EngagementId}: report {RequestId} {Outcome}", input.ActionId, input.EngagementId, reported.Result.RequestId, taken ? "taken" : "refused");
            input = taken ? input with { Reported = true } : input with { RequestId = null, Attempt = input.Attempt + 1 };
        }

        context.ContinueAsNew(input, preserveUnprocessedEvents: true);
        return input.Reported ? "reported" : "reminded";
    }

    private static string Close(ILogger logger, CorrectiveActionInput input, ActionClosed closure)
    {
        logger.LogInformation("Corrective action {ActionId} of engagement {EngagementId} closed by {By}", input.ActionId, input.EngagementId, closure.By);
        return Closed;
    }
}

/// <summary>What the contractor is asked when an action is raised: what was done, when, and files showing the correction.</summary>
public static class CorrectiveActionReportRequest
{
    public const string Kind = "corrective-action";
    public const string Work = "work";
    public const string CompletedOn = "completedOn";

    public static IReadOnlyList<Question> Questions { get; } =
    [
        new(Work, "実施した是正の内容", "What was done to correct it", QuestionKind.Text),
        new(CompletedOn, "是正を完了した日", "The day the correction was finished", QuestionKind.Date),
    ];

    public static IReadOnlyList<string> EvidenceAsked(Language language) =>
        language == Language.Ja
            ? ["是正したことを示す資料（写真、改訂した手順書、記録の写しなど）"]
            : ["Files showing the correction (photographs, the revised procedure, copies of records)"];

    public static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 79), "…");
}

/// <summary>
/// Opens the action's report request and mails its link, once however often it runs, and records it on the action.
/// Answers false when the action is closed, so nothing is asked.
/// </summary>
public sealed class OpenCorrectiveActionRequest(InspectionStore inspections, VendorRequests requests, RequestMail mail) : TaskActivity<ActionReportRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ActionReportRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CorrectiveActionRecord? action = await inspections.GetActionAsync(input.EngagementId, input.InspectionId, input.ActionId, CancellationToken.None);
        if (action is null || action.ClosedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        Language language = onboarding.Contact.PreferredLanguage;
        string title = CorrectiveActionReportRequest.Shorten(action.Description);
        await mail.OpenAndMailAsync(
            new NewVendorRequest(
                input.EngagementId,
                CorrectiveActionReportRequest.Kind,
                $"是正措置の完了報告: {title}",
                $"Report of a corrective action: {title}",
                CorrectiveActionReportRequest.Questions,
                CorrectiveActionReportRequest.EvidenceAsked(language),
                language,
                JapanCalendar.EndUtc(InspectionStore.ParseDate(action.DueOn)),
                WaitingInstanceId: CorrectiveActionInput.InstanceId(input.EngagementId, input.ActionId),
                CompletionEvent: nameof(VendorRequestFulfilled),
                RequestId: input.RequestId),
            onboarding);
        CorrectiveActionRecord? recorded = await inspections.UpdateActionAsync(input.EngagementId, input.InspectionId, input.ActionId, row =>
        {
            if (row.ClosedOn is not null || row.ReportRequestId == input.RequestId)
                return false;
            row.ReportRequestId = input.RequestId;
            return true;
        }, CancellationToken.None);
        if (recorded?.ClosedOn is null)
            return true;

        // Closed while the request was opened: the closure could not withdraw a request it did not know of.
        await requests.CloseAsync(input.EngagementId, input.RequestId, RequestStatus.Withdrawn, AuditActors.System, CancellationToken.None);
        return false;
    }
}

/// <summary>
/// Reads the contractor's report of the correction and takes it (recorded on the action for the supervisor who closes
/// it) or refuses it with the reasons. Idempotent: the same submission is recorded and audited once. Answers whether it
/// was taken.
/// </summary>
public sealed class RecordCorrectiveActionReport(InspectionStore inspections, EvidenceStore evidence, AuditLog audit, TimeProvider time, ILogger<RecordCorrectiveActionReport> logger)
    : TaskActivity<ActionReportRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ActionReportRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CorrectiveActionRecord action = await inspections.GetActionAsync(input.EngagementId, input.InspectionId, input.ActionId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Corrective action {input.ActionId} of engagement {input.EngagementId} does not exist.");
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        DateTimeOffset now = time.GetUtcNow();
        string? completedOn = submission.Answer(CorrectiveActionReportRequest.CompletedOn);
        var report = new ActionReport(
            submission.Answer(CorrectiveActionReportRequest.Work) ?? string.Empty,
            DateOnly.TryParseExact(completedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date) ? date : null,
            submission.Uploads.Count);
        ValidationErrors errors = CorrectiveActionRules.ValidateReport(report, InspectionStore.ParseDate(action.RaisedOn), JapanCalendar.DateAt(now));
        bool taken = errors.IsEmpty || action.ReportedRequestId == input.RequestId;
        string evidenceIds = string.Join(',', submission.Uploads.Select(upload => upload.EvidenceId));
        if (taken)
        {
            await inspections.UpdateActionAsync(input.EngagementId, input.InspectionId, input.ActionId, row =>
            {
                if (row.ReportedRequestId == input.RequestId)
                    return false;
                row.ReportedRequestId = input.RequestId;
                row.ReportedAt = now;
                row.ReportedWork = report.Work;
                row.ReportedCompletedOn = completedOn;
                row.ReportedEvidenceIds = evidenceIds;
                return true;
            }, CancellationToken.None);
        }

        var details = new Dictionary<string, string>
        {
            ["inspectionId"] = input.InspectionId,
            ["actionId"] = input.ActionId,
            ["requestId"] = input.RequestId,
            [CorrectiveActionReportRequest.CompletedOn] = completedOn ?? string.Empty,
            ["evidenceIds"] = evidenceIds,
        };
        if (!taken)
            details["reasons"] = JsonSerializer.Serialize(errors.ToDictionary(), ApiJson.Options);
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.VendorLink(input.LinkId ?? string.Empty),
            taken ? AuditActions.CorrectiveActionReported : AuditActions.CorrectiveActionReportRefused,
            details,
            CancellationToken.None,
            entryKey: $"action.{input.ActionId}.report.{input.RequestId}");
        if (!taken)
            logger.LogWarning("Corrective action {ActionId} of engagement {EngagementId}: report {RequestId} refused: {Reasons}", input.ActionId, input.EngagementId, input.RequestId, details["reasons"]);
        return taken;
    }
}

/// <summary>
/// Chases an open action: mails the contractor's contact that it is overdue, with a fresh link of its report request
/// (not when that request is no longer open, reported meanwhile), and escalates it to the supervisors once (mail if an
/// address is configured, always the trail); neither once the action is closed.
/// </summary>
public sealed class CorrectiveActionChase(InspectionStore inspections, VendorRequests requests, RequestMail mail, AuditLog audit, TimeProvider time, ILogger<CorrectiveActionChase> logger)
    : IChaseSubject
{
    public const string ChaseKind = "corrective-action";

    public string Kind => ChaseKind;

    public async Task<bool> RemindAsync(ChaseNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string inspectionId, string actionId) = Ids(notice.Target);
        CorrectiveActionRecord? action = await inspections.GetActionAsync(engagementId, inspectionId, actionId, cancellationToken);
        if (action is null || action.ClosedOn is not null)
            return false;

        string number = notice.Number.ToString(CultureInfo.InvariantCulture);
        string key = MailKey(engagementId, actionId, $"overdue.{number}");
        if (!await mail.AlreadySentAsync(engagementId, key))
        {
            VendorRequestRecord? request = action.ReportRequestId is null ? null : await requests.GetAsync(engagementId, action.ReportRequestId, cancellationToken);
            if (request is not { Status: nameof(RequestStatus.Open) })
            {
                logger.LogInformation("Reminder {Number} of corrective action {ActionId} not sent: its request is no longer open", notice.Number, actionId);
                return true;
            }

            (_, OnboardingRequest onboarding) = await mail.ReadAsync(engagementId);
            InspectionRecord? inspection = await inspections.GetAsync(engagementId, inspectionId, cancellationToken);
            IssuedLink link = await requests.IssueLinkAsync(engagementId, request.RequestId, LinkPurpose.Respond, cancellationToken);
            await mail.MailContactAsync(
                MailTemplates.CorrectiveActionOverdue,
                engagementId,
                onboarding,
                new Dictionary<string, string>
                {
                    ["actionDescription"] = action.Description,
                    ["owner"] = action.Owner,
                    ["inspectionDate"] = inspection?.On ?? action.RaisedOn,
                    ["dueDate"] = action.DueOn,
                    ["daysOverdue"] = Math.Max(1, Reminders.DaysOverdue(InspectionStore.ParseDate(action.DueOn), time.GetUtcNow())).ToString(CultureInfo.InvariantCulture),
                    ["link"] = link.Url.ToString(),
                },
                key);
        }

        await inspections.UpdateActionAsync(engagementId, inspectionId, actionId, row =>
        {
            if (row.RemindersSent >= notice.Number)
                return false;
            row.RemindersSent = notice.Number;
            return true;
        }, cancellationToken);
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            AuditActions.CorrectiveActionReminded,
            new Dictionary<string, string> { ["inspectionId"] = inspectionId, ["actionId"] = actionId, ["dueOn"] = action.DueOn, ["reminder"] = number },
            cancellationToken,
            entryKey: $"action.{actionId}.reminder.{number}");
        return true;
    }

    public async Task<bool> EscalateAsync(ChaseNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string inspectionId, string actionId) = Ids(notice.Target);
        CorrectiveActionRecord? action = await inspections.GetActionAsync(engagementId, inspectionId, actionId, cancellationToken);
        if (action is null || action.ClosedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(engagementId);
        string mailedTo = await mail.EscalateAsync(
            engagementId,
            onboarding.Contractor.Name,
            $"是正措置: {CorrectiveActionReportRequest.Shorten(action.Description)}",
            action.DueOn,
            notice.Number,
            MailKey(engagementId, actionId, "escalation"));

        DateTimeOffset now = time.GetUtcNow();
        await inspections.UpdateActionAsync(engagementId, inspectionId, actionId, row =>
        {
            if (row.EscalatedAt is not null)
                return false;
            row.EscalatedAt = now;
            return true;
        }, cancellationToken);
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            AuditActions.CorrectiveActionEscalated,
            new Dictionary<string, string>
            {
                ["inspectionId"] = inspectionId,
                ["actionId"] = actionId,
                ["dueOn"] = action.DueOn,
                ["reminders"] = notice.Number.ToString(CultureInfo.InvariantCulture),
                ["mailedTo"] = mailedTo,
            },
            cancellationToken,
            entryKey: $"action.{actionId}.escalated");
        return true;
    }

    /// <summary>The idempotency key of a mail about one action: <c>{engagementId}.{actionId}.{what}</c>.</summary>
    public static string MailKey(string engagementId, string actionId, string what) => $"{engagementId}.{actionId}.{what}";

    private static (string EngagementId, string InspectionId, string ActionId) Ids(ChaseTarget target) =>
        (target.EngagementId, target.Within ?? throw new InvalidOperationException($"Corrective action {target.Id} is chased without its inspection."), target.Id);
}
