using Supervision.Domain.Common;

namespace Supervision.Domain.Subcontracts;

/// <summary>The steps personal data goes through in a tier's work (7-2 ①: 業務フローの把握).</summary>
public enum ProcessStep
{
    Receive,
    Process,
    Output,
    Enclose,
    CompletionReport,
    ReturnOrErase,
}

/// <summary>Who employs a person working on the data (7-2 ③): the tier itself, the tier above it, or a staffing agency.</summary>
public enum WorkerAffiliation
{
    ThisTier,
    ParentTier,
    StaffingAgency,
}

/// <summary>Where a tier does the work.</summary>
public enum WorkLocation
{
    PrincipalSite,
    ContractorSite,
    SubcontractorSite,
}

public enum AccessLogReview
{
    None,
    Daily,
    Weekly,
    Monthly,
}

/// <summary>A named person on the work: their role, who employs them (and the employer's name when it is an agency), trained or not.</summary>
public sealed record Worker(string Name, string Role, WorkerAffiliation Affiliation, string? EmployerName, bool Trained);

/// <summary>
/// What the principal must know of each tier's work (7-2 ① ③): the process steps it goes through, the named manager and
/// workers and who employs each, where the work is done, whether a home PC may be used, and how often access logs are
/// reviewed. In the 7-2 leak the principal could not say to which tier the worker belonged: affiliation is required.
/// </summary>
public sealed record WorkStatement(
    IReadOnlyList<ProcessStep> ProcessSteps,
    Worker Manager,
    IReadOnlyList<Worker> Workers,
    WorkLocation WorkLocation,
    bool HomePcAllowed,
    AccessLogReview AccessLogReview);

/// <summary>A work statement as a client sent it: every member may be missing, so each missing one is named.</summary>
public sealed record WorkStatementDraft
{
    public IReadOnlyList<ProcessStep>? ProcessSteps { get; init; }

    public WorkerDraft? Manager { get; init; }

    public IReadOnlyList<WorkerDraft?>? Workers { get; init; }

    public WorkLocation? WorkLocation { get; init; }

    public bool? HomePcAllowed { get; init; }

    public AccessLogReview? AccessLogReview { get; init; }
}

public sealed record WorkerDraft
{
    public string? Name { get; init; }

    public string? Role { get; init; }

    public WorkerAffiliation? Affiliation { get; init; }

    public string? EmployerName { get; init; }

    public bool? Trained { get; init; }
}

public static class WorkStatementRules
{
    public const int MaxWorkers = 200;
    public const int MaxNameLength = 200;

    /// <summary>Every member present, every worker's affiliation stated (an agency's name with it); <paramref name="prefix"/> names the fields.</summary>
    public static WorkStatement? Read(WorkStatementDraft? draft, string prefix, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (draft is null)
        {
            errors.Add(prefix, "is required (7-2: the process steps, the named manager and workers with their affiliation, the work site, home PCs, access-log review).");
            return null;
        }

        if (draft.ProcessSteps is not { Count: > 0 })
            errors.Add($"{prefix}.processSteps", "must name the steps the data goes through (receive, process, output, enclose, completionReport, returnOrErase).");
        Worker? manager = ReadWorker(draft.Manager, $"{prefix}.manager", errors);
        List<Worker> workers = [];
        if (draft.Workers is not { Count: > 0 })
            errors.Add($"{prefix}.workers", "must name every worker who handles the data.");
        else if (draft.Workers.Count > MaxWorkers)
            errors.Add($"{prefix}.workers", $"must list at most {MaxWorkers} workers.");
        else
        {
            for (int i = 0; i < draft.Workers.Count; i++)
            {
                if (ReadWorker(draft.Workers[i], $"{prefix}.workers[{i}]", errors) is { } worker)
                    workers.Add(worker);
            }
        }

        if (draft.WorkLocation is null)
            errors.Add($"{prefix}.workLocation", "is required: principalSite, contractorSite or subcontractorSite.");
        if (draft.HomePcAllowed is null)
            errors.Add($"{prefix}.homePcAllowed", "is required: whether the data may be handled on a home PC.");
        if (draft.AccessLogReview is null)
            errors.Add($"{prefix}.accessLogReview", "is required: none, daily, weekly or monthly.");

        return manager is null || workers.Count != draft.Workers?.Count || draft.ProcessSteps is not { Count: > 0 }
            || draft.WorkLocation is null || draft.HomePcAllowed is null || draft.AccessLogReview is null
            ? null
            : new WorkStatement([.. draft.ProcessSteps.Distinct()], manager, workers, draft.WorkLocation.Value, draft.HomePcAllowed.Value, draft.AccessLogReview.Value);
    }

    private static Worker? ReadWorker(WorkerDraft? draft, string field, ValidationErrors errors)
    {
        if (draft is null)
        {
            errors.Add(field, "is required: name, role, affiliation and whether trained.");
            return null;
        }

        int before = errors.ToDictionary().Count;
        errors.RequiredLine($"{field}.name", draft.Name, MaxNameLength);
        errors.RequiredLine($"{field}.role", draft.Role, MaxNameLength);
        if (draft.Affiliation is null)
            errors.Add($"{field}.affiliation", "is required: thisTier, parentTier or staffingAgency (who employs this person).");
        else if (draft.Affiliation == WorkerAffiliation.StaffingAgency)
            errors.RequiredLine($"{field}.employerName", draft.EmployerName, MaxNameLength);
        if (draft.Trained is null)
            errors.Add($"{field}.trained", "is required: whether this person has been trained in handling personal data.");
        if (errors.ToDictionary().Count != before)
            return null;
        string? employer = draft.Affiliation == WorkerAffiliation.StaffingAgency ? draft.EmployerName!.Trim() : null;
        return new Worker(draft.Name!.Trim(), draft.Role!.Trim(), draft.Affiliation!.Value, employer, draft.Trained!.Value);
    }
}
