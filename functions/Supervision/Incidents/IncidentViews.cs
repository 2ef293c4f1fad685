using Supervision.Domain.Incidents;

namespace Supervision.Incidents;

public sealed record JudgementView(bool Reportable, IReadOnlyList<string> Reasons, string RulesVersion, bool Confirmed, bool? ReportableAsDecided, string? DecidedBy, DateTimeOffset? DecidedAt, string? Reason);

/// <summary>An incident as staff see it: the facts, the clock, the judgement, the reports owed, the checklist, the next deadline.</summary>
public sealed record IncidentView(
    string Id,
    string EngagementId,
    string State,
    IncidentFacts Facts,
    DateTimeOffset PrincipalLearnedAt,
    string ReportedBy,
    bool NoticeLate,
    int NotifyWithinHours,
    string? LateNoticeActionId,
    JudgementView Judgement,
    IReadOnlyList<ReportState> Reports,
    IReadOnlyList<StepState> Steps,
    DateTimeOffset? NextDeadline,
    IncidentCoordination? Coordination,
    string? ClientAgreedBy,
    DateTimeOffset? ClientAgreedAt,
    IReadOnlyList<string> Missing,
    string? ClosedBy,
    DateTimeOffset? ClosedAt);

public sealed record IncidentList(IReadOnlyList<IncidentView> Items);

public static class IncidentViews
{
    public static IncidentView View(IncidentRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ReportabilityJudgement judgement = row.ReadJudgement();
        List<ReportState> reports = row.ReadReports();
        return new IncidentView(
            row.IncidentId,
            row.EngagementId,
            row.State,
            row.ReadFacts(),
            row.PrincipalLearnedAt,
            row.ReportedBy,
            row.NoticeLate,
            row.NotifyWithinHours,
            row.LateNoticeActionId,
            new JudgementView(judgement.Reportable, judgement.Reasons, judgement.RulesVersion, row.JudgedBy is not null, row.ReportableAsDecided, row.JudgedBy, row.JudgedAt, row.JudgementReason),
            reports,
            row.ReadSteps(),
            row.State == IncidentStates.Open ? reports.Where(report => report.SentAt is null).Select(report => (DateTimeOffset?)report.DueAt).Min() : null,
            row.ReadCoordination(),
            row.ClientAgreedBy,
            row.ClientAgreedAt,
            row.State == IncidentStates.Open ? row.Missing() : [],
            row.ClosedBy,
            row.ClosedAt);
    }
}
