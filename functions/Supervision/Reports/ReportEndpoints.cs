using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Reports;

/// <summary>Staff read an engagement's periodic reports; a supervisor accepts a submitted report or sends it back with a reason.</summary>
public sealed class ReportEndpoints(ReportStore reports, EventOutbox outbox, StaffCalls calls, TimeProvider time, ILogger<ReportEndpoints> logger)
{
    public const string ListRoute = "api/engagements/{engagementId}/reports";
    public const string ReviewRoute = "api/engagements/{engagementId}/reports/{period}/review";

    private static readonly StaffRule<ReportReviewBody> Reviewing =
        (StaffRule.ToChange(StaffRole.Supervisor) with { Subject = "The report", LoadsEngagement = false }).Taking<ReportReviewBody>(Validate);

    /// <summary><c>GET /api/engagements/{id}/reports</c>: every period requested so far, with its status and due date.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        IReadOnlyList<ReportRecord> rows = await reports.ListAsync(engagementId, cancellationToken);
        return TypedResults.Ok(new ReportListView(engagementId, [.. rows.OrderBy(row => row.Number).Select(View)]));
    }

    /// <summary>
    /// <c>POST /api/engagements/{id}/reports/{period}/review</c>: a supervisor accepts the submitted report, or sends it back
    /// with a written reason (10–2000 characters) so the contractor is asked again for the same period. Recorded on the
    /// report row (ETag-conditional, once per submission), audited, and raised to the period's workflow.
    /// </summary>
    public async Task<IResult> ReviewAsync(HttpRequest request, string engagementId, string period, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        bool isPeriod = int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is >= 1 and <= 9999;
        StaffCall<ReportReviewBody, ReportRecord> call = await calls.AdmitAsync(
            request, Reviewing, engagementId, new StaffSubject<ReportRecord>(isPeriod, token => reports.GetAsync(engagementId, number, token)), cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        ReportRecord row = call.Subject!;
        string reason = ReasonOf(call.Body!);
        bool accepted = call.Body!.Accept!.Value;
        string reviewedBy = call.Caller;
        string status = accepted ? nameof(ReportStatus.Accepted) : nameof(ReportStatus.SentBack);
        string eventKey = $"report.{number}.{row.Attempt}.reviewed";
        if (row.Status == status && row.ReviewedBy == reviewedBy && (row.ReviewReason ?? string.Empty) == reason)
        {
            // The same review again (a retry after a lost answer): it is recorded; deliver what it still owes.
            await outbox.TryDeliverAsync(durable, engagementId, eventKey, cancellationToken);
            return Reviewed(engagementId, row);
        }

        if (row.Status != nameof(ReportStatus.Submitted))
        {
            return Problems.Conflict(
                "The report is not waiting for a review.",
                $"Report {number} is {JsonNamingPolicy.CamelCase.ConvertName(row.Status)}; only a submitted report is reviewed.");
        }

        row.Status = status;
        row.ReviewedAt = time.GetUtcNow();
        row.ReviewedBy = reviewedBy;
        row.ReviewReason = reason;
        var owed = new OwedEvent(
            ReportPeriodWorkflow.InstanceId(engagementId, number),
            nameof(ReportReviewed),
            new ReportReviewed(row.Attempt, accepted, reason, reviewedBy),
            new TrailEntry(
                AuditActors.Staff(reviewedBy),
                accepted ? AuditActions.ReportAccepted : AuditActions.ReportSentBack,
                new Dictionary<string, string>
                {
                    ["period"] = number.ToString(CultureInfo.InvariantCulture),
                    ["attempt"] = row.Attempt.ToString(CultureInfo.InvariantCulture),
                    ["requestId"] = row.RequestId,
                    ["reason"] = reason,
                },
                eventKey));
        if (!await outbox.CommitAsync(row, eventKey, owed, cancellationToken))
            return Problems.Conflict("The report changed while the review was recorded.", "Read it again and review what it is now.");

        await outbox.TryDeliverAsync(durable, engagementId, eventKey, cancellationToken);
        logger.LogInformation("Report {Number} of engagement {EngagementId} {Status} by {ReviewedBy}", number, engagementId, row.Status, reviewedBy);
        return Reviewed(engagementId, row);
    }

    private static ValidationErrors Validate(ReportReviewBody body)
    {
        var errors = new ValidationErrors();
        string reason = ReasonOf(body);
        if (body.Accept is null)
            errors.Add("accept", "is required: true to accept the report, false to send it back.");
        else if (body.Accept == false && reason.Length is < StaffInput.MinReasonLength or > StaffInput.MaxReasonLength)
            errors.Add("reason", $"is required to send a report back: {StaffInput.MinReasonLength} to {StaffInput.MaxReasonLength} characters saying what to correct.");
        else if (reason.Length > StaffInput.MaxReasonLength)
            errors.Add("reason", $"must be at most {StaffInput.MaxReasonLength} characters.");
        return errors;
    }

    private static string ReasonOf(ReportReviewBody body) => body.Reason?.Trim() ?? string.Empty;

    private static Accepted<ReportView> Reviewed(string engagementId, ReportRecord row) =>
        TypedResults.Accepted($"/{ListRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal)}", View(row));

    private static ReportView View(ReportRecord row) => new(
        row.Number,
        row.PeriodStart,
        row.PeriodEnd,
        row.DueOn,
        row.DueAt,
        JsonNamingPolicy.CamelCase.ConvertName(row.Status),
        row.Attempt,
        row.RequestId,
        row.RequestedAt,
        row.SubmittedAt,
        row.ReviewedAt is null ? null : new ReportReviewView(row.ReviewedAt.Value, row.ReviewedBy ?? string.Empty, row.ReviewReason ?? string.Empty));
}

public sealed record ReportReviewBody(bool? Accept, string? Reason);

public sealed record ReportListView(string EngagementId, IReadOnlyList<ReportView> Reports);

public sealed record ReportView(
    int Period,
    string PeriodStart,
    string PeriodEnd,
    string DueOn,
    DateTimeOffset? DueAt,
    string Status,
    int Attempt,
    string RequestId,
    DateTimeOffset RequestedAt,
    DateTimeOffset? SubmittedAt,
    ReportReviewView? Review);

public sealed record ReportReviewView(DateTimeOffset At, string By, string Reason);
