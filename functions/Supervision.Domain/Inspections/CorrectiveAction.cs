using Supervision.Domain.Common;

namespace Supervision.Domain.Inspections;

/// <summary>What the contractor must put right for one finding, who answers for it, and by when.</summary>
public sealed record CorrectiveAction(string Description, string Owner, DateOnly DueOn);

/// <summary>How an action was closed: the evidence stored for it (ids of evidence blobs) and the closing note.</summary>
public sealed record ActionClosure(DateOnly ClosedOn, string Note, IReadOnlyList<string> EvidenceIds);

/// <summary>
/// What the contractor reports through the action's link: what was done, the day it was finished, and how many files
/// showing the correction were uploaded and accepted.
/// </summary>
public sealed record ActionReport(string Work, DateOnly? CompletedOn, int AcceptedFiles);

/// <summary>An action and, once closed, its closure.</summary>
public sealed record TrackedAction(CorrectiveAction Action, DateOnly RaisedOn, ActionClosure? Closure = null)
{
    public bool IsClosed => Closure is not null;
}

public static class CorrectiveActionRules
{
    public const int MaxTextLength = 2_000;
    public const int MaxDaysToCorrect = 365;
    public const int MaxEvidence = 50;

    /// <summary>Default days to correct, by severity: a critical finding exposes data now, a minor one waits for the next cycle.</summary>
    public static int DefaultDaysToCorrect(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => 7,
        FindingSeverity.Major => 30,
        FindingSeverity.Minor => 90,
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown severity."),
    };

    /// <summary>The action a finding becomes, due after the default days for its severity.</summary>
    public static CorrectiveAction Raise(Finding finding, string owner, DateOnly foundOn)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new CorrectiveAction(finding.Description, owner, foundOn.AddDays(DefaultDaysToCorrect(finding.Severity)));
    }

    public static ValidationErrors Validate(CorrectiveAction action, DateOnly raisedOn)
    {
        ArgumentNullException.ThrowIfNull(action);
        var errors = new ValidationErrors();
        errors.Required("description", action.Description, MaxTextLength);
        errors.RequiredLine("owner", action.Owner, 200);
        if (action.DueOn < raisedOn)
            errors.Add("dueOn", $"must not be before the action was raised ({raisedOn:yyyy-MM-dd}).");
        else if (action.DueOn > raisedOn.AddDays(MaxDaysToCorrect))
            errors.Add("dueOn", $"must be within {MaxDaysToCorrect} days of the action being raised.");
        return errors;
    }

    /// <summary>An action is closed only with evidence of the correction and a note saying what was done; never before it was raised.</summary>
    public static ValidationErrors ValidateClosure(TrackedAction tracked, ActionClosure closure, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        ArgumentNullException.ThrowIfNull(closure);
        var errors = new ValidationErrors();
        if (tracked.IsClosed)
            errors.Add("closure", "the action is already closed.");
        errors.Required("note", closure.Note, MaxTextLength);
        if (closure.EvidenceIds is null || closure.EvidenceIds.Count == 0)
            errors.Add("evidenceIds", "at least one piece of evidence of the correction is required.");
        else if (closure.EvidenceIds.Count > MaxEvidence)
            errors.Add("evidenceIds", $"must be at most {MaxEvidence}.");
        else
            for (int i = 0; i < closure.EvidenceIds.Count; i++)
                errors.RequiredLine($"evidenceIds[{i}]", closure.EvidenceIds[i], 200);

        errors.NotInFuture("closedOn", closure.ClosedOn, today);
        if (closure.ClosedOn < tracked.RaisedOn)
            errors.Add("closedOn", $"must not be before the action was raised ({tracked.RaisedOn:yyyy-MM-dd}).");
        return errors;
    }

    /// <summary>
    /// A contractor's report of a correction is taken only with what was done, the day it was finished (not before the
    /// action was raised, not in the future) and at least one accepted file showing it; otherwise it is asked for again.
    /// </summary>
    public static ValidationErrors ValidateReport(ActionReport report, DateOnly raisedOn, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(report);
        var errors = new ValidationErrors();
        errors.Required("work", report.Work, MaxTextLength);
        if (report.CompletedOn is not { } completedOn)
            errors.Add("completedOn", "is required: the day the correction was finished (yyyy-MM-dd).");
        else if (completedOn < raisedOn)
            errors.Add("completedOn", $"must not be before the action was raised ({raisedOn:yyyy-MM-dd}).");
        else
            errors.NotInFuture("completedOn", completedOn, today);
        if (report.AcceptedFiles < 1)
            errors.Add("evidence", "at least one file showing the correction must be uploaded.");
        return errors;
    }

    /// <summary>Open past its due date; the due date itself is in time.</summary>
    public static bool IsOverdue(TrackedAction tracked, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        return Deadline.IsOverdue(tracked.Action.DueOn, tracked.Closure?.ClosedOn, today);
    }

    public static int DaysOverdue(TrackedAction tracked, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        return Deadline.DaysOverdue(tracked.Action.DueOn, tracked.Closure?.ClosedOn, today);
    }
}
