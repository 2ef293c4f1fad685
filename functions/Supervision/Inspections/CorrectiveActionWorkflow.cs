using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Durable;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// One corrective action chased until closed. <see cref="Sent"/> and <see cref="Escalated"/> carry the chase across
/// <c>ContinueAsNew</c>, so however long an action stays open its history stays one reminder long.
/// </summary>
public sealed record CorrectiveActionInput(
    string EngagementId,
    string InspectionId,
    string ActionId,
    DateTime DueAt,
    TimeSpan ReminderInterval,
    int MaxReminders,
    int Sent = 0,
    bool Escalated = false)
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

public sealed record ActionReminder(string EngagementId, string InspectionId, string ActionId, int Number);

/// <summary>
/// Waits for the action's due date (the end of that day in Japan) raced with its closure; overdue, reminds the
/// contractor's contact every reminder interval until it is closed, and escalates to the supervisors once after the
/// configured number of reminders.
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
        DateTime at = input.DueAt + (input.ReminderInterval * input.Sent);
        using (var cancel = new CancellationTokenSource())
        {
            Task timer = context.CreateTimer(at, cancel.Token);
            if (await Task.WhenAny(closed, timer) == closed)
            {
                // Synchronously: CancelAsync would continue off the orchestration's thread and stall the replay.
#pragma warning disable CA1849
                cancel.Cancel();
#pragma warning restore CA1849
                logger.LogInformation("Corrective action {ActionId} of engagement {EngagementId} closed by {By}", input.ActionId, input.EngagementId, closed.Result.By);
                return Closed;
            }
        }

        var reminder = new ActionReminder(input.EngagementId, input.InspectionId, input.ActionId, input.Sent + 1);
        if (!await context.CallActivityAsync<bool>(nameof(RemindCorrectiveAction), reminder))
            return Closed;

        bool escalated = input.Escalated;
        if (!escalated && reminder.Number >= input.MaxReminders)
        {
            await context.CallActivityAsync<bool>(nameof(EscalateCorrectiveAction), reminder);
            escalated = true;
        }

        context.ContinueAsNew(input with { Sent = reminder.Number, Escalated = escalated }, preserveUnprocessedEvents: true);
        return "reminded";
    }
}

/// <summary>Mails the contractor's contact that an action is overdue, unless it is closed. Answers whether it is still open.</summary>
public sealed class RemindCorrectiveAction(InspectionStore inspections, RequestMail requests, Mailer mailer, AuditLog audit, TimeProvider time, ILogger<RemindCorrectiveAction> logger)
    : TaskActivity<ActionReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ActionReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CorrectiveActionRecord? action = await inspections.GetActionAsync(input.EngagementId, input.InspectionId, input.ActionId, CancellationToken.None);
        if (action is null || action.ClosedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await requests.ReadAsync(input.EngagementId);
        InspectionRecord? inspection = await inspections.GetAsync(input.EngagementId, input.InspectionId, CancellationToken.None);
        DateOnly dueOn = InspectionStore.ParseDate(action.DueOn);
        string number = input.Number.ToString(CultureInfo.InvariantCulture);
        await mailer.SendAsync(
            new MailRequest(
                MailTemplates.CorrectiveActionOverdue,
                onboarding.Contact.PreferredLanguage,
                new MailAddressee(onboarding.Contact.Email, onboarding.Contact.Name),
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["contactName"] = onboarding.Contact.Name,
                    ["contractorName"] = onboarding.Contractor.Name,
                    ["principalName"] = requests.Options.PrincipalName,
                    ["actionDescription"] = action.Description,
                    ["owner"] = action.Owner,
                    ["inspectionDate"] = inspection?.On ?? action.RaisedOn,
                    ["dueDate"] = action.DueOn,
                    ["daysOverdue"] = Math.Max(1, Reminders.DaysOverdue(dueOn, time.GetUtcNow())).ToString(CultureInfo.InvariantCulture),
                },
                MailKey(input.EngagementId, input.ActionId, $"overdue.{number}"),
                input.EngagementId),
            CancellationToken.None);

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
public sealed class EscalateCorrectiveAction(InspectionStore inspections, RequestMail requests, Mailer mailer, AuditLog audit, TimeProvider time, ILogger<EscalateCorrectiveAction> logger)
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
        string supervisor = requests.Options.SupervisorEmail;
        if (!string.IsNullOrWhiteSpace(supervisor))
        {
            await mailer.SendAsync(
                new MailRequest(
                    MailTemplates.Escalation,
                    Language.Ja,
                    new MailAddressee(supervisor),
                    new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["contractorName"] = onboarding.Contractor.Name,
                        ["engagementId"] = input.EngagementId,
                        ["requestTitle"] = $"是正措置: {Shorten(action.Description)}",
                        ["dueDate"] = action.DueOn,
                        ["reminders"] = reminders,
                    },
                    RemindCorrectiveAction.MailKey(input.EngagementId, input.ActionId, "escalation"),
                    input.EngagementId),
                CancellationToken.None);
        }

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
                ["mailedTo"] = string.IsNullOrWhiteSpace(supervisor) ? "none" : "supervisors",
            },
            CancellationToken.None,
            entryKey: $"action.{input.ActionId}.escalated");
        logger.LogWarning("Corrective action {ActionId} of engagement {EngagementId} is still open after {Reminders} reminders: escalated", input.ActionId, input.EngagementId, input.Number);
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 79), "…");
}
