using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Selection;

namespace Supervision.Domain.Subcontracts;

/// <summary>
/// The tier that asks to subcontract: how deep it stands (1 is the contractor), the policy its own contract sets for
/// subcontracting, and the data items it holds (only those may be handed down).
/// </summary>
public sealed record ParentTier(int Depth, SubcontractPolicy Policy, IReadOnlySet<string> DataItemsHeld);

/// <summary>
/// A request to subcontract part of the work (3-2): who, what work, which data items, where, when, and the
/// obligations of the contract passed on, with the signed subcontract uploaded.
/// </summary>
public sealed record SubcontractRequest(
    string SubcontractorName,
    string Work,
    IReadOnlyList<string> DataItems,
    string WorkSite,
    DateOnly PlannedStart,
    DateOnly PlannedEnd,
    IReadOnlySet<ContractClause> ClausesPassedOn,
    bool SignedSubcontractUploaded,
    SubcontractPolicy PolicyForTheSubcontractor,
    bool AttestsCriteriaMet = false);

/// <summary>What a request leads to, by the policy of the contract above it.</summary>
public enum SubcontractOutcome
{
    /// <summary>Refused: the policy prohibits it, or the request breaks a rule (the reasons say which).</summary>
    Refused,

    /// <summary>Nothing may reach the subcontractor until a supervisor approves with a reason.</summary>
    AwaitsApproval,

    /// <summary>In force; a supervisor must acknowledge the report, and is chased until they do.</summary>
    AwaitsAcknowledgement,

    /// <summary>The contractor attests the subcontractor meets the principal's criteria; in force once its due diligence scores so.</summary>
    AwaitsCriteriaCheck,

    /// <summary>In force, recorded and visible.</summary>
    InForce,
}

/// <summary>
/// Where a tier stands. Data may reach it only while it is <see cref="InForce"/>; suspended and revoked tiers keep their
/// place in the chain (the principal must still know what they hold) but their links no longer work.
/// </summary>
public enum SubcontractStatus
{
    AwaitingApproval,
    AwaitingCriteriaCheck,
    InForce,
    Rejected,
    Suspended,
    Revoked,
}

public sealed record SubcontractDecision(SubcontractOutcome Outcome, IReadOnlyDictionary<string, string[]> Reasons);

/// <summary>
/// Sub-contracting down the chain (3-1, 3-2, 7-2). The principal answers for every tier (3-1), so what a subcontract may
/// be is decided by rules, not by the contractor: the policy of the contract above decides what a request does; the same
/// obligations flow down (3-2: every clause of 2-1); a tier hands down only data it holds, never deeper than the limit,
/// and never under a looser policy than its own (7-2: the principal must always know which tier holds what).
/// </summary>
public static class SubcontractRules
{
    public const int DefaultMaxDepth = 3;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 2000;

    public static SubcontractDecision Decide(ParentTier parent, SubcontractRequest request, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        if (parent.Policy == SubcontractPolicy.Prohibited)
        {
            errors.Add("policy", "The contract above prohibits subcontracting.");
            return new SubcontractDecision(SubcontractOutcome.Refused, errors.ToDictionary());
        }

        errors.RequiredLine("subcontractor.name", request.SubcontractorName, MaxNameLength);
        errors.Required("work", request.Work, MaxTextLength);
        errors.RequiredLine("workSite", request.WorkSite, MaxNameLength);
        if (request.PlannedEnd < request.PlannedStart)
            errors.Add("plannedEnd", "must not be before plannedStart.");
        if (parent.Depth + 1 > maxDepth)
            errors.Add("depth", $"A subcontractor would stand at tier {parent.Depth + 1}; the limit is {maxDepth}.");
        if (request.DataItems.Count == 0)
            errors.Add("dataItems", "must name the data items the subcontractor will receive.");
        string[] notHeld = [.. request.DataItems.Where(item => !parent.DataItemsHeld.Contains(item)).Distinct(StringComparer.Ordinal)];
        if (notHeld.Length > 0)
            errors.Add("dataItems", $"names data the tier above does not hold: {string.Join(", ", notHeld)}.");
        ContractClause[] notPassedOn = [.. ContractClauses.All.Where(clause => !request.ClausesPassedOn.Contains(clause))];
        if (notPassedOn.Length > 0)
            errors.Add("clausesPassedOn", $"must pass on every obligation of the contract (3-2); missing: {string.Join(", ", notPassedOn)}.");
        if (!request.SignedSubcontractUploaded)
            errors.Add("signedSubcontract", "the signed subcontract must be uploaded as evidence.");
        if (parent.Policy == SubcontractPolicy.DelegatedUnderCriteria && !request.AttestsCriteriaMet)
            errors.Add("attestsCriteriaMet", "The contract delegates subcontracting under the principal's criteria: attest that the subcontractor meets them.");
        if (!IsNotLooser(parent.Policy, request.PolicyForTheSubcontractor))
            errors.Add("policyForTheSubcontractor", $"may not be looser than the tier's own ({parent.Policy}).");
        if (!errors.IsEmpty)
            return new SubcontractDecision(SubcontractOutcome.Refused, errors.ToDictionary());

        SubcontractOutcome outcome = parent.Policy switch
        {
            SubcontractPolicy.PriorApproval => SubcontractOutcome.AwaitsApproval,
            SubcontractPolicy.ReportAfterTheFact => SubcontractOutcome.AwaitsAcknowledgement,
            SubcontractPolicy.DelegatedUnderCriteria => SubcontractOutcome.AwaitsCriteriaCheck,
            _ => SubcontractOutcome.InForce,
        };
        return new SubcontractDecision(outcome, errors.ToDictionary());
    }

    /// <summary>
    /// How much a policy keeps the principal in control, most first: prohibited; prior approval (the principal decides
    /// each); report after the fact (the principal sees each and acknowledges it); delegated under the principal's
    /// criteria (a rule decides, the principal sees the score); delegated.
    /// </summary>
    public static int Strictness(SubcontractPolicy policy) => policy switch
    {
        SubcontractPolicy.Prohibited => 4,
        SubcontractPolicy.PriorApproval => 3,
        SubcontractPolicy.ReportAfterTheFact => 2,
        SubcontractPolicy.DelegatedUnderCriteria => 1,
        _ => 0,
    };

    /// <summary>
    /// Whether a subcontractor's due diligence meets the principal's criteria on its own, with no supervisor deciding
    /// (delegated under criteria): no blocking finding, and no more than a medium risk.
    /// </summary>
    public static bool MeetsCriteria(ScoreBreakdown score, RiskTier risk)
    {
        ArgumentNullException.ThrowIfNull(score);
        return score.BlockingFindings.Count == 0 && risk <= RiskTier.Medium;
    }

    /// <summary>Where a tier stands right after a valid request, by what the request leads to.</summary>
    public static SubcontractStatus InitialStatus(SubcontractOutcome outcome) => outcome switch
    {
        SubcontractOutcome.AwaitsApproval => SubcontractStatus.AwaitingApproval,
        SubcontractOutcome.AwaitsCriteriaCheck => SubcontractStatus.AwaitingCriteriaCheck,
        SubcontractOutcome.AwaitsAcknowledgement or SubcontractOutcome.InForce => SubcontractStatus.InForce,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A refused request makes no tier."),
    };

    /// <summary>A tier passes on a policy at least as strict as the one it works under itself.</summary>
    public static bool IsNotLooser(SubcontractPolicy parent, SubcontractPolicy child) => Strictness(child) >= Strictness(parent);
}
