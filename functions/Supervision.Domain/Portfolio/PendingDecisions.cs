using Supervision.Domain.Staff;

namespace Supervision.Domain.Portfolio;

/// <summary>What an engagement waits for from the principal's staff: the decisions of "my work today".</summary>
public enum PendingDecision
{
    /// <summary>The contractor answered due diligence; the score and tier wait for a decision (1-4).</summary>
    Selection,

    /// <summary>A periodic report was submitted and waits for its review (1-6).</summary>
    ReportReview,

    /// <summary>A subcontractor waits for approval, or a subcontract reported after the fact for acknowledgement (3-2).</summary>
    Subcontract,

    /// <summary>An open incident's reportability is not yet confirmed by a supervisor (6-1).</summary>
    IncidentJudgement,

    /// <summary>A tier returned data and the principal has not acknowledged receiving it (2-4).</summary>
    ReturnReceipt,

    /// <summary>Every tier certified and nothing is out: the engagement waits to be closed (7-2).</summary>
    Close,
}

public static class PendingDecisions
{
    /// <summary>Who takes each decision: receipts are procurement's or a supervisor's; every other decision a supervisor's.</summary>
    public static IReadOnlyList<StaffRole> Deciders(PendingDecision decision) => decision switch
    {
        PendingDecision.ReturnReceipt => [StaffRole.Procurement, StaffRole.Supervisor],
        _ => [StaffRole.Supervisor],
    };

    /// <summary>The decisions someone with <paramref name="roles"/> may take (none for an auditor, who changes nothing).</summary>
    public static IReadOnlyList<PendingDecision> For(IEnumerable<StaffRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        StaffRole[] held = [.. roles];
        return [.. Enum.GetValues<PendingDecision>().Where(decision => Deciders(decision).Intersect(held).Any())];
    }
}
