using System.Globalization;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// Chases an open action: mails the contractor's contact that it is overdue, with a fresh link of its report request
/// (not when that request is no longer open, reported meanwhile), and escalates it to the supervisors once (mail if an
/// address is configured, always the trail); neither once the action is closed.
/// </summary>
public sealed class CorrectiveActionChase(InspectionStore inspections, VendorRequests requests, RequestMail mail, TimeProvider time, ILogger<CorrectiveActionChase> logger)
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

        var reminded = new TrailEntry(
            AuditActors.System,
            AuditActions.CorrectiveActionReminded,
            new Dictionary<string, string> { ["inspectionId"] = inspectionId, ["actionId"] = actionId, ["dueOn"] = action.DueOn, ["reminder"] = number },
            $"action.{actionId}.reminder.{number}");
        await inspections.UpdateActionAsync(engagementId, inspectionId, actionId, row =>
        {
            if (row.RemindersSent >= notice.Number)
                return false;
            row.RemindersSent = notice.Number;
            return true;
        }, _ => reminded, cancellationToken);
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
        var escalated = new TrailEntry(
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
            $"action.{actionId}.escalated");
        await inspections.UpdateActionAsync(engagementId, inspectionId, actionId, row =>
        {
            if (row.EscalatedAt is not null)
                return false;
            row.EscalatedAt = now;
            return true;
        }, _ => escalated, cancellationToken);
        return true;
    }

    /// <summary>The idempotency key of a mail about one action: <c>{engagementId}.{actionId}.{what}</c>.</summary>
    public static string MailKey(string engagementId, string actionId, string what) => $"{engagementId}.{actionId}.{what}";

    private static (string EngagementId, string InspectionId, string ActionId) Ids(ChaseTarget target) =>
        (target.EngagementId, target.Within ?? throw new InvalidOperationException($"Corrective action {target.Id} is chased without its inspection."), target.Id);
}
