using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Incidents;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Incidents;

public sealed record IncidentJudgementBody(bool? Reportable, string? Reason);

public sealed record IncidentReportBody(InlineFileDraftBody? Report);

public sealed record InlineFileDraftBody(string? FileName, string? ContentBase64);

public sealed record IncidentLinkBody(string? Tier);

/// <summary>
/// Incidents for staff (6-1, 6-3, 7-1): intake on a contractor's behalf (or of a carrier's misdelivery), the lists with
/// each one's next deadline, a supervisor's judgement of reportability, the reports as filed, and the links contractors
/// report through. The response itself is <see cref="IncidentResponseEndpoints"/>'s.
/// </summary>
public sealed class IncidentEndpoints(
    IncidentIntake intake,
    IncidentStore incidents,
    IncidentChanges changes,
    EvidenceStore evidence,
    StandingLinks links,
    StaffCalls calls,
    TimeProvider time)
{
    public const string CollectionRoute = "api/engagements/{engagementId}/incidents";
    public const string ItemRoute = "api/engagements/{engagementId}/incidents/{incidentId}";
    public const string OpenRoute = "api/incidents";
    public const string JudgementRoute = "api/engagements/{engagementId}/incidents/{incidentId}/judgement";
    public const string ReportRoute = "api/engagements/{engagementId}/incidents/{incidentId}/reports/{kind}";
    public const string LinksRoute = "api/engagements/{engagementId}/incident-links";

    public const string LinkRequestKind = "incident-report";

    private static readonly StaffRule Reporting = StaffRule.ToChange(IncidentChanges.Responders) with { TakesIdempotencyKey = true, LoadsEngagement = false };
    private static readonly StaffRule IssuingLinks = StaffRule.ToChange(IncidentChanges.Responders) with { LoadsEngagement = false };
    private static readonly StaffRule ReadingAnIncident = StaffRule.AnyReader with { Subject = "The incident", LoadsEngagement = false };

    /// <summary><c>POST …/incidents</c>: staff report an incident (a misdelivery telephoned in, a carrier's loss).</summary>
    public async Task<IResult> ReportAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffCall<IncidentDraft> call = await calls.AdmitAsync(request, Reporting.Taking<IncidentDraft>(), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        string caller = call.Caller;
        IntakeResult result = await intake.TakeAsync(engagementId, call.Body!, new IncidentReporter(AuditActors.Staff(caller), caller, BoundTier: null), call.IdempotencyKey, durable, cancellationToken);
        return result.Problem ?? TypedResults.Accepted(
            "/" + ItemRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal).Replace("{incidentId}", result.Incident!.IncidentId, StringComparison.Ordinal),
            IncidentViews.View(result.Incident));
    }

    /// <summary><c>GET …/incidents</c>: the engagement's incidents, newest first, each with its next deadline.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        List<IncidentRecord> rows = await incidents.ListAsync(engagementId, cancellationToken);
        return TypedResults.Ok(new IncidentList([.. rows.OrderByDescending(row => row.PrincipalLearnedAt).Select(IncidentViews.View)]));
    }

    /// <summary><c>GET …/incidents/{incidentId}</c>: one incident, with what still keeps it open.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string engagementId, string incidentId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, ReadingAnIncident, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        return EngagementIds.IsWellFormed(incidentId) && await incidents.GetAsync(engagementId, incidentId, cancellationToken) is { } incident
            ? TypedResults.Ok(IncidentViews.View(incident))
            : Problems.NotFound("The incident");
    }

    /// <summary><c>GET /api/incidents?state=open</c>: incidents of every engagement in a state, the next deadline first.</summary>
    public async Task<IResult> ListAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId: null, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        string state = request.Query["state"].ToString() is { Length: > 0 } asked ? asked : IncidentStates.Open;
        if (state is not (IncidentStates.Open or IncidentStates.Closed))
            return Problems.Invalid(new Dictionary<string, string[]> { ["state"] = ["must be \"open\" or \"closed\"."] });
        List<IncidentRecord> rows = await incidents.ListAllAsync(state, cancellationToken);
        return TypedResults.Ok(new IncidentList([.. rows.Select(IncidentViews.View).OrderBy(view => view.NextDeadline ?? DateTimeOffset.MaxValue)]));
    }

    /// <summary>
    /// <c>POST …/judgement</c>: a supervisor confirms the rule's judgement or overrides it, with a reason. The reports owed
    /// follow the decision (a report already sent stays), and the workflow chases what is owed now.
    /// </summary>
    public async Task<IResult> JudgeAsync(HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<IncidentJudgementBody, IncidentRecord> admission = await changes.AdmitAsync<IncidentJudgementBody>(request, engagementId, incidentId, IncidentChanges.Supervisors, cancellationToken);
        if (admission.Refused is not null)
            return admission.Refused;
        var errors = new ValidationErrors();
        if (admission.Body!.Reportable is null)
            errors.Add("reportable", "is required: true or false.");
        StaffInput.Reason(admission.Body.Reason, errors);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        bool reportable = admission.Body.Reportable!.Value;
        string reason = admission.Body.Reason!.Trim();
        string caller = admission.Caller;
        IncidentRecord incident = await changes.CommitAsync(engagementId, incidentId, row =>
        {
            if (row.JudgedBy is not null)
                return null;
            IncidentFacts facts = row.ReadFacts();
            List<ReportState> sent = [.. row.ReadReports().Where(report => report.SentAt is not null)];
            IEnumerable<ReportState> owed = Reportability.Deadlines(facts, reportable, row.PrincipalLearnedAt, intake.Options.Rules)
                .Where(due => sent.All(report => report.Kind != due.Kind))
                .Select(due => new ReportState(due.Kind, due.DueOn, due.DueAt, null, null, null));
            row.Write([.. sent, .. owed]);
            row.ReportableAsDecided = reportable;
            row.JudgedBy = caller;
            row.JudgedAt = time.GetUtcNow();
            row.JudgementReason = reason;
            bool overridden = reportable != row.ReadJudgement().Reportable;
            return new IncidentChange(new TrailEntry(
                AuditActors.Staff(caller),
                AuditActions.IncidentJudged,
                new Dictionary<string, string> { ["incidentId"] = incidentId, ["reportable"] = reportable ? "true" : "false", ["overridden"] = overridden ? "true" : "false", ["reason"] = reason },
                $"incident.{incidentId}.judged"), nameof(IncidentJudged), new IncidentJudged(reportable));
        }, durable, cancellationToken);
        if (incident.ReportableAsDecided != reportable || incident.JudgementReason != reason)
            return Problems.Conflict("The reportability was already decided.", $"Decided by {incident.JudgedBy}: reportable {incident.ReportableAsDecided}.");
        return TypedResults.Ok(IncidentViews.View(incident));
    }

    /// <summary><c>POST …/reports/{kind}</c>: a supervisor records a report as sent to the authority, with the report filed.</summary>
    public async Task<IResult> RecordReportAsync(HttpRequest request, string engagementId, string incidentId, string kind, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<IncidentReportBody, IncidentRecord> admission = await changes.AdmitAsync<IncidentReportBody>(request, engagementId, incidentId, IncidentChanges.Supervisors, cancellationToken, intake.Options.MaxBodyBytes);
        if (admission.Refused is not null)
            return admission.Refused;
        if (!Enum.TryParse(kind, ignoreCase: true, out IncidentReportKind reportKind) || !Enum.IsDefined(reportKind))
            return Problems.NotFound("The report");
        if (admission.Subject!.ReadReports().FirstOrDefault(report => report.Kind == reportKind) is not { } owed)
            return Problems.Conflict("This report is not owed.", $"Incident {incidentId} owes: {string.Join(", ", admission.Subject.ReadReports().Select(report => report.Kind))}.");
        if (owed.SentAt is not null)
            return TypedResults.Ok(IncidentViews.View(admission.Subject));

        var errors = new ValidationErrors();
        InlineFileDraftBody? file = admission.Body!.Report;
        InlineFile? filed = InlineFiles.Read(file is null ? null : new Domain.Evidence.InlineFileDraft { FileName = file.FileName, ContentBase64 = file.ContentBase64 }, "report", intake.Options.MaxFileBytes, errors);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        EvidenceRecord stored = await evidence.AddSystemEvidenceAsync(engagementId, $"incident-{incidentId}", filed!.FileName, filed.ContentType, filed.Bytes, cancellationToken);
        string caller = admission.Caller;
        IncidentRecord incident = await changes.CommitAsync(engagementId, incidentId, row =>
        {
            List<ReportState> reports = row.ReadReports();
            int index = reports.FindIndex(report => report.Kind == reportKind && report.SentAt is null);
            if (index < 0)
                return null;
            reports[index] = reports[index] with { SentAt = time.GetUtcNow(), SentBy = caller, EvidenceId = stored.EvidenceId };
            row.Write(reports);
            return new IncidentChange(new TrailEntry(
                AuditActors.Staff(caller),
                AuditActions.IncidentReportSent,
                new Dictionary<string, string> { ["incidentId"] = incidentId, ["report"] = reportKind.ToString(), ["dueOn"] = reports[index].DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["evidenceId"] = stored.EvidenceId },
                $"incident.{incidentId}.{reportKind}.sent"), IncidentWorkflow.ReportSentEvent(reportKind), new IncidentReportSent(reportKind));
        }, durable, cancellationToken);
        return TypedResults.Ok(IncidentViews.View(incident));
    }

    /// <summary><c>POST …/incident-links</c>: mails a tier (the contractor by default) a fresh link to its incident report page.</summary>
    public async Task<IResult> IssueLinkAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffCall<IncidentLinkBody> call = await calls.AdmitAsync(request, IssuingLinks.Taking<IncidentLinkBody>(), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        string tierId = string.IsNullOrWhiteSpace(call.Body!.Tier) ? Tiers.Contractor : call.Body.Tier.Trim();
        IssuedStandingLink issued = await links.IssueAsync(engagementId, tierId, Standing, AuditActors.Staff(call.Caller), cancellationToken);
        return issued.Problem ?? TypedResults.Accepted((string?)null, issued.View);
    }

    /// <summary>The incident report page's standing request: any engagement with contract terms has one.</summary>
    public static StandingRequest Standing { get; } = new(
        LinkRequestKind,
        "個人情報の事故の報告",
        "Report a personal data incident",
        Mail.MailTemplates.IncidentLink,
        AuditActions.IncidentLinkIssued,
        (engagement, _) => engagement.Terms() is null ? Problems.Conflict("The engagement has no contract terms.", "Record the contract's terms first.") : null,
        AskedAfterTheWorkEnds: true);

}
