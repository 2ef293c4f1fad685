using System.Text.Json;
using Supervision.Domain.Inspections;

namespace Supervision.Inspections;

/// <summary>How inspections and their corrective actions are shown: names in camel case, dates as stored, overdue as of today.</summary>
public static class InspectionViews
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static InspectionView View(InspectionRecord inspection, IReadOnlyList<CorrectiveActionRecord> actions, DateOnly today) =>
        new(
            inspection.InspectionId,
            Name(Enum.Parse<InspectionKind>(inspection.Kind)),
            inspection.On,
            inspection.Scope,
            inspection.Inspector,
            inspection.RecordedBy,
            inspection.RecordedAt,
            [.. actions.Select(action => ActionView(action, today))],
            InspectionRules.CanClose([.. actions.Select(action => action.ToTracked())]));

    public static CorrectiveActionView ActionView(CorrectiveActionRecord row, DateOnly today)
    {
        TrackedAction tracked = row.ToTracked();
        return new CorrectiveActionView(
            row.ActionId,
            row.Description,
            Name(Enum.Parse<FindingSeverity>(row.Severity)),
            row.Owner,
            row.RaisedOn,
            row.DueOn,
            tracked.IsClosed ? "closed" : "open",
            CorrectiveActionRules.IsOverdue(tracked, today),
            CorrectiveActionRules.DaysOverdue(tracked, today),
            row.RemindersSent,
            row.EscalatedAt,
            row.ReportedAt is { } reportedAt
                ? new ActionReportView(reportedAt, row.ReportedWork ?? string.Empty, row.ReportedCompletedOn ?? string.Empty, string.IsNullOrEmpty(row.ReportedEvidenceIds) ? [] : row.ReportedEvidenceIds.Split(','))
                : null,
            tracked.Closure is { } closure ? new ClosureView(row.ClosedOn!, closure.Note, closure.EvidenceIds, row.ClosedBy ?? string.Empty) : null);
    }
}

/// <summary>The contractor's report of the correction through the action's link: the evidence a supervisor may close it with.</summary>
public sealed record ActionReportView(DateTimeOffset ReportedAt, string Work, string CompletedOn, IReadOnlyList<string> EvidenceIds);

public sealed record ClosureView(string ClosedOn, string Note, IReadOnlyList<string> EvidenceIds, string ClosedBy);

public sealed record CorrectiveActionView(
    string ActionId,
    string Description,
    string Severity,
    string Owner,
    string RaisedOn,
    string DueOn,
    string Status,
    bool Overdue,
    int DaysOverdue,
    int RemindersSent,
    DateTimeOffset? EscalatedAt,
    ActionReportView? Report,
    ClosureView? Closure);

public sealed record InspectionView(
    string InspectionId,
    string Kind,
    string On,
    string Scope,
    string Inspector,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    IReadOnlyList<CorrectiveActionView> Actions,
    bool AllActionsClosed);

public sealed record InspectionsView(IReadOnlyList<InspectionView> Inspections, int OpenActions, int OverdueActions);
