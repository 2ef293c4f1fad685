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
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// One corrective action chased until closed. <see cref="Sent"/> and <see cref="Escalated"/> carry the chase across
/// <c>ContinueAsNew</c>, so however long an action stays open its history stays one reminder long. <see cref="RequestId"/>
/// is the request through which the contractor reports the correction (<see cref="Attempt"/> counts the requests, a
/// refused report opening the next); once a report is taken (<see cref="Reported"/>) only a supervisor's closure is awaited.
/// </summary>
public sealed record CorrectiveActionInput(
    string EngagementId,
    string InspectionId,
    string ActionId,
    DateTime DueAt,
    TimeSpan ReminderInterval,
    int MaxReminders,
    int Sent = 0,
    bool Escalated = false,
    string? RequestId = null,
    int Attempt = 1,
    bool Reported = false)
{
    public static string InstanceId(string engagementId, string actionId) => $"{engagementId}-action-{actionId}";
}

/// <summary>Starts the chase of an open action, once: a repeat (or a sweep repairing a start a crash lost) finds it started.</summary>
public static class CorrectiveActionChase
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
            JapanCalendar.EndUtc(InspectionStore.ParseDate(action.DueOn)).UtcDateTime,
            options.ReminderInterval,
            options.MaxReminders);
        await DurableStarts.StartOnceAsync(durable, nameof(CorrectiveActionWorkflow), input, instanceId, cancellationToken);
    }
}

/// <summary>Raised by the closure endpoint to the action's workflow.</summary>
public sealed record ActionClosed(string By);

/// <summary>A reminder of an open action; <see cref="RequestId"/> is the request its fresh link serves.</summary>
public sealed record ActionReminder(string EngagementId, string InspectionId, string ActionId, int Number, string? RequestId = null);

/// <summary>A report request of an action to open (its id derived by the workflow), or one the contractor submitted.</summary>
public sealed record ActionReportRequest(string EngagementId, string InspectionId, string ActionId, string RequestId, string? LinkId = null);

/// <summary>
/// Opens a request through which the contractor reports the correction (what was done, when, and files showing it),
/// mailed at once and due with the action; then waits for the due date (the end of that day in Japan) raced with the
/// report and the closure. Overdue, it reminds the contractor's contact with a fresh link every reminder interval and
/// escalates to the supervisors once after the configured number of reminders. A report taken stops the reminders; a
/// refused one opens a new request.
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

        if (input.RequestId is null)
        {
            string requestId = RequestIds.Derive(context.InstanceId, $"report.{input.Attempt.ToString(CultureInfo.InvariantCulture)}");
            if (!await context.CallActivityAsync<bool>(nameof(OpenCorrectiveActionRequest), new ActionReportRequest(input.EngagementId, input.InspectionId, input.ActionId, requestId), ActivityRetry.Options))
                return Closed;
            input = input with { RequestId = requestId };
        }

        Task<VendorRequestFulfilled> reported = context.WaitForExternalEvent<VendorRequestFulfilled>(nameof(VendorRequestFulfilled));
        DateTime at = input.DueAt + (input.ReminderInterval * input.Sent);
        using (var cancel = new CancellationTokenSource())
        {
            Task timer = context.CreateTimer(at, cancel.Token);
            if (await Task.WhenAny(closed, reported, timer) != timer)
            {
                // Synchronously: CancelAsync would continue off the orchestration's thread and stall the replay.
#pragma warning disable CA1849
                cancel.Cancel();
#pragma warning restore CA1849
            }
        }

        if (!closed.IsCompleted && !reported.IsCompleted)
        {
            var reminder = new ActionReminder(input.EngagementId, input.InspectionId, input.ActionId, input.Sent + 1, input.RequestId);
            if (!await context.CallActivityAsync<bool>(nameof(RemindCorrectiveAction), reminder, ActivityRetry.Options))
                return Closed;
            input = input with { Sent = reminder.Number };
            if (!input.Escalated && reminder.Number >= input.MaxReminders)
            {
                await context.CallActivityAsync<bool>(nameof(EscalateCorrectiveAction), reminder, ActivityRetry.Options);
                input = input with { Escalated = true };
            }
        }

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
/// Mails the contractor's contact that an action is overdue, with a fresh link of its report request, unless it is
/// closed. Answers whether it is still open. A request no longer open (reported meanwhile) is not reminded of.
/// </summary>
public sealed class RemindCorrectiveAction(InspectionStore inspections, VendorRequests requests, RequestMail mail, AuditLog audit, TimeProvider time, ILogger<RemindCorrectiveAction> logger)
    : TaskActivity<ActionReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ActionReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CorrectiveActionRecord? action = await inspections.GetActionAsync(input.EngagementId, input.InspectionId, input.ActionId, CancellationToken.None);
        if (action is null || action.ClosedOn is not null)
            return false;

        string number = input.Number.ToString(CultureInfo.InvariantCulture);
        string key = MailKey(input.EngagementId, input.ActionId, $"overdue.{number}");
        if (!await mail.AlreadySentAsync(input.EngagementId, key))
        {
            VendorRequestRecord? request = input.RequestId is null ? null : await requests.GetAsync(input.EngagementId, input.RequestId, CancellationToken.None);
            if (request is not { Status: nameof(RequestStatus.Open) })
            {
                logger.LogInformation("Reminder {Number} of corrective action {ActionId} not sent: its request is no longer open", input.Number, input.ActionId);
                return true;
            }

            (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
            InspectionRecord? inspection = await inspections.GetAsync(input.EngagementId, input.InspectionId, CancellationToken.None);
            IssuedLink link = await requests.IssueLinkAsync(input.EngagementId, request.RequestId, LinkPurpose.Respond, CancellationToken.None);
            await mail.MailContactAsync(
                MailTemplates.CorrectiveActionOverdue,
                input.EngagementId,
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

        await inspections.UpdateActionAsync(input.EngagementId, input.InspectionId, input.ActionId, row =>
        {
            if (row.RemindersSent >= input.Number)
                return false;
            row.RemindersSent = input.Number;
            return true;
        }, CancellationToken.None);
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.CorrectiveActionReminded,
            new Dictionary<string, string> { ["inspectionId"] = input.InspectionId, ["actionId"] = input.ActionId, ["dueOn"] = action.DueOn, ["reminder"] = number },
            CancellationToken.None,
            entryKey: $"action.{input.ActionId}.reminder.{number}");
        logger.LogInformation("Corrective action {ActionId} of engagement {EngagementId} is overdue: reminder {Number} sent", input.ActionId, input.EngagementId, input.Number);
        return true;
    }

    /// <summary>The idempotency key of a mail about one action: <c>{engagementId}.{actionId}.{what}</c>.</summary>
    public static string MailKey(string engagementId, string actionId, string what) => $"{engagementId}.{actionId}.{what}";
}

/// <summary>Escalates an action still open after every reminder to the supervisors: mail if an address is configured, always the trail.</summary>
public sealed class EscalateCorrectiveAction(InspectionStore inspections, RequestMail requests, AuditLog audit, TimeProvider time, ILogger<EscalateCorrectiveAction> logger)
    : TaskActivity<ActionReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ActionReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CorrectiveActionRecord? action = await inspections.GetActionAsync(input.EngagementId, input.InspectionId, input.ActionId, CancellationToken.None);
        if (action is null || action.ClosedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await requests.ReadAsync(input.EngagementId);
        string reminders = input.Number.ToString(CultureInfo.InvariantCulture);
        string mailedTo = await requests.EscalateAsync(
            input.EngagementId,
            onboarding.Contractor.Name,
            $"是正措置: {CorrectiveActionReportRequest.Shorten(action.Description)}",
            action.DueOn,
            input.Number,
            RemindCorrectiveAction.MailKey(input.EngagementId, input.ActionId, "escalation"));

        DateTimeOffset now = time.GetUtcNow();
        await inspections.UpdateActionAsync(input.EngagementId, input.InspectionId, input.ActionId, row =>
        {
            if (row.EscalatedAt is not null)
                return false;
            row.EscalatedAt = now;
            return true;
        }, CancellationToken.None);
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.CorrectiveActionEscalated,
            new Dictionary<string, string>
            {
                ["inspectionId"] = input.InspectionId,
                ["actionId"] = input.ActionId,
                ["dueOn"] = action.DueOn,
                ["reminders"] = reminders,
                ["mailedTo"] = mailedTo,
            },
            CancellationToken.None,
            entryKey: $"action.{input.ActionId}.escalated");
        logger.LogWarning("Corrective action {ActionId} of engagement {EngagementId} is still open after {Reminders} reminders: escalated", input.ActionId, input.EngagementId, input.Number);
        return true;
    }
}
