using Supervision.Domain.Common;

namespace Supervision.Domain.Inspections;

/// <summary>The two kinds of audit the principal runs at the contractor (1-6: 定期的な立入検査, 抜き打ち検査).</summary>
public enum InspectionKind
{
    /// <summary>On site, announced to the contractor, on a planned date.</summary>
    Scheduled,

    /// <summary>Not announced: recorded after the fact, so its date is never in the future.</summary>
    Unannounced,

    /// <summary>Not on site: a finding of the principal's own review (a late incident notice, 6-3), dated the day it was found.</summary>
    Review,
}

public sealed record Inspection(InspectionKind Kind, DateOnly On, string Scope, string Inspector);

public enum FindingSeverity
{
    Minor,
    Major,

    /// <summary>Personal information is exposed or the contract's core terms are broken now.</summary>
    Critical,
}

public sealed record Finding(string Description, FindingSeverity Severity);

public static class InspectionRules
{
    public const int MaxTextLength = 2_000;
    public const int MaxFindings = 200;

    /// <summary>
    /// A scheduled inspection is planned for today or later; an unannounced one is recorded once it has happened.
    /// </summary>
    public static ValidationErrors Validate(Inspection inspection, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var errors = new ValidationErrors();
        errors.Required("scope", inspection.Scope, MaxTextLength);
        errors.RequiredLine("inspector", inspection.Inspector, 200);
        if (inspection.Kind == InspectionKind.Scheduled)
        {
            if (inspection.On < today)
                errors.Add("on", $"a scheduled inspection is announced in advance: its date must not be in the past (today is {today:yyyy-MM-dd}).");
        }
        else if (inspection.Kind is InspectionKind.Unannounced or InspectionKind.Review)
        {
            errors.NotInFuture("on", inspection.On, today);
        }
        else
        {
            errors.Add("kind", "must be scheduled or unannounced.");
        }

        return errors;
    }

    /// <summary>Findings are recorded only once the inspection has taken place, each described and of a known severity.</summary>
    public static ValidationErrors ValidateFindings(Inspection inspection, IReadOnlyList<Finding> findings, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(findings);
        var errors = new ValidationErrors();
        if (inspection.On > today)
            errors.Add("findings", $"can be recorded only once the inspection has taken place ({inspection.On:yyyy-MM-dd}).");
        if (findings.Count > MaxFindings)
            errors.Add("findings", $"must be at most {MaxFindings}.");
        for (int i = 0; i < findings.Count; i++)
        {
            errors.Required($"findings[{i}].description", findings[i].Description, MaxTextLength);
            if (!Enum.IsDefined(findings[i].Severity))
                errors.Add($"findings[{i}].severity", "must be minor, major or critical.");
        }

        return errors;
    }

    /// <summary>An inspection is closed only when every corrective action raised from its findings is closed.</summary>
    public static ValidationErrors ValidateClose(IReadOnlyList<TrackedAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var errors = new ValidationErrors();
        for (int i = 0; i < actions.Count; i++)
        {
            if (!actions[i].IsClosed)
                errors.Add($"actions[{i}]", $"is still open (due {actions[i].Action.DueOn:yyyy-MM-dd}): close every corrective action first.");
        }

        return errors;
    }

    public static bool CanClose(IReadOnlyList<TrackedAction> actions) => ValidateClose(actions).IsEmpty;
}
