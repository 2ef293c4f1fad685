using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Inspections;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Inspections;

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

        (EngagementRecord engagement, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
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
            engagement);
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
        var entry = new TrailEntry(
            AuditActors.VendorLink(input.LinkId ?? string.Empty),
            taken ? AuditActions.CorrectiveActionReported : AuditActions.CorrectiveActionReportRefused,
            details,
            $"action.{input.ActionId}.report.{input.RequestId}");
        if (taken)
        {
            // The report taken onto the action, with its entry, in one transaction.
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
            }, _ => entry, CancellationToken.None);
        }
        else
        {
            // A refused report changes nothing but the trail.
            await audit.AppendAsync(input.EngagementId, entry, CancellationToken.None);
            logger.LogWarning("Corrective action {ActionId} of engagement {EngagementId}: report {RequestId} refused: {Reasons}", input.ActionId, input.EngagementId, input.RequestId, details["reasons"]);
        }

        return taken;
    }
}
