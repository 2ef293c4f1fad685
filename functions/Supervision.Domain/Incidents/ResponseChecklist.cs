namespace Supervision.Domain.Incidents;

/// <summary>The response to an incident, step by step (6-1).</summary>
public enum ResponseStep
{
    Recovery,
    NoticeToIndividuals,
    SecondaryDamageMeasures,
    RootCause,
    Prevention,
    Publication,
}

public enum StepStatus
{
    Open,
    Done,
    NotApplicable,
}

/// <summary>One step as it stands: who owns it, done (with evidence and date) or not applicable (with a reason).</summary>
public sealed record StepState(ResponseStep Step, StepStatus Status, string? Owner, string? Note, IReadOnlyList<string> EvidenceIds, DateOnly? DoneOn);

/// <summary>One report owed as it stands: due when, sent when, by whom, with which evidence.</summary>
public sealed record ReportState(IncidentReportKind Kind, DateOnly DueOn, DateTimeOffset DueAt, DateTimeOffset? SentAt, string? SentBy, string? EvidenceId);

public static class ResponseChecklist
{
    public static IReadOnlyList<StepState> Opened() =>
        [.. Enum.GetValues<ResponseStep>().Select(step => new StepState(step, StepStatus.Open, null, null, [], null))];

    /// <summary>
    /// What still keeps an incident open: every step done or recorded as not applicable with a reason, every report owed
    /// sent, the reportability confirmed by a supervisor; and, when the data was held for a client (7-1), publication done
    /// only with the client's agreement recorded.
    /// </summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<StepState> steps, IReadOnlyList<ReportState> reports, bool judgementConfirmed, bool heldForClient, bool clientAgreedToPublication)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(reports);
        var missing = new List<string>();
        if (!judgementConfirmed)
            missing.Add("reportability: a supervisor has not confirmed or overridden it");
        missing.AddRange(steps.Where(step => step.Status == StepStatus.Open).Select(step => $"step {step.Step}: still open"));
        missing.AddRange(reports.Where(report => report.SentAt is null).Select(report => $"report {report.Kind}: not sent (due {report.DueOn:yyyy-MM-dd})"));
        if (heldForClient && steps.Any(step => step.Step == ResponseStep.Publication && step.Status == StepStatus.Done) && !clientAgreedToPublication)
            missing.Add("publication: the client's agreement is not recorded (7-1)");
        return missing;
    }
}
