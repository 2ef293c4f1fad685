using System.Globalization;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Kernel;
using Supervision.Mail;

namespace Supervision.Vendors;

/// <summary>
/// Chases a request to the contractor: reminds its recipient with a new link, and escalates it to the supervisors (mail
/// if an address is configured, always the audit trail); neither once the request is no longer open.
/// </summary>
public sealed class VendorRequestChase(VendorRequests requests, RequestMail mail, AuditLog audit, TimeProvider time) : IChaseSubject
{
    public const string ChaseKind = "request";

    public string Kind => ChaseKind;

    public async Task<bool> RemindAsync(ChaseNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string requestId) = (notice.Target.EngagementId, notice.Target.Id);
        if (await OpenRequestAsync(engagementId, requestId, cancellationToken) is not { } request)
            return false;

        string key = RequestMail.Key(engagementId, requestId, $"reminder.{notice.Number.ToString(CultureInfo.InvariantCulture)}");
        if (await mail.AlreadySentAsync(engagementId, key))
            return true;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(engagementId);
        DateTimeOffset dueAt = request.DueAt ?? time.GetUtcNow();
        IssuedLink link = await requests.IssueLinkAsync(engagementId, requestId, LinkPurpose.Respond, cancellationToken);
        string overdue = Reminders.DaysOverdue(RequestMail.DueDate(dueAt), time.GetUtcNow()).ToString(CultureInfo.InvariantCulture);
        await mail.SendAsync(MailTemplates.Reminder, request, onboarding, link, dueAt, key, new Dictionary<string, string> { ["daysOverdue"] = overdue });
        return true;
    }

    public async Task<bool> EscalateAsync(ChaseNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string requestId) = (notice.Target.EngagementId, notice.Target.Id);
        if (await OpenRequestAsync(engagementId, requestId, cancellationToken) is not { } request)
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(engagementId);
        string dueDate = request.DueAt is { } dueAt ? RequestMail.DueDate(dueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
        string mailedTo = await mail.EscalateAsync(
            engagementId, onboarding.Contractor.Name, request.TitleJa, dueDate, notice.Number, RequestMail.Key(engagementId, requestId, "escalation"));
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            AuditActions.RequestEscalated,
            new Dictionary<string, string>
            {
                ["requestId"] = requestId,
                ["kind"] = request.Kind,
                ["dueDate"] = dueDate,
                ["reminders"] = notice.Number.ToString(CultureInfo.InvariantCulture),
                ["mailedTo"] = mailedTo,
            },
            cancellationToken,
            entryKey: $"request.{requestId}.escalated");
        return true;
    }

    private async Task<VendorRequestRecord?> OpenRequestAsync(string engagementId, string requestId, CancellationToken cancellationToken) =>
        await requests.GetAsync(engagementId, requestId, cancellationToken) is { Status: nameof(RequestStatus.Open) } request ? request : null;
}
