using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Subcontracts;
using Supervision.Kernel;

namespace Supervision.Subcontracts;

public sealed record DecisionView(string Decision, string By, DateTimeOffset? At, string Reason);

public sealed record TierAcknowledgementView(string By, DateTimeOffset? At, string? Note);

public sealed record SuspensionView(string By, DateTimeOffset? At, string Reason);

public sealed record TierDueDiligenceView(string? RequestId, double? Percentage, string? RiskTier);

/// <summary>
/// One tier as the principal must be able to see it at any moment (7-2): who, at which depth and under whom, its
/// status and the policy it works under, who approved it and why, where and how it works and who does the work, and
/// which of the principal's data it holds now — with the tiers below it.
/// </summary>
public sealed record TierView(
    string Id,
    string? ParentId,
    int Depth,
    IReadOnlyList<string> Path,
    string Company,
    string? CorporateNumber,
    SubcontractStatus Status,
    SubcontractPolicy? GovernedBy,
    SubcontractPolicy? Policy,
    string? Work,
    string? WorkSite,
    string? PlannedStart,
    string? PlannedEnd,
    IReadOnlyList<string> DataItemsAllowed,
    IReadOnlyList<Holding> Holds,
    long RecordsHeld,
    WorkStatement? WorkStatement,
    string? SignedSubcontractEvidenceId,
    TierDueDiligenceView? DueDiligence,
    DecisionView? Decision,
    TierAcknowledgementView? Acknowledgement,
    SuspensionView? Suspension,
    bool AwaitsSupervisor,
    string? RequestedBy,
    DateTimeOffset? RequestedAt,
    IReadOnlyList<TierView> Children);

public sealed record ChainResponse(string EngagementId, int MaxDepth, int Tiers, TierView Contractor);

/// <summary>Builds the chain's tree from the engagement, its tier rows and its ledger: reads nothing itself.</summary>
public static class ChainViews
{
    public static ChainResponse Build(EngagementRecord engagement, IReadOnlyList<TierRecord> tiers, IEnumerable<HandoverRecord> handovers, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        ArgumentNullException.ThrowIfNull(tiers);
        IReadOnlyDictionary<string, TierHoldings> holdings = ChainHoldings.ByTier(TierStore.Chain(handovers));
        ILookup<string, TierRecord> byParent = tiers.ToLookup(tier => tier.ParentTierId, StringComparer.Ordinal);

        IReadOnlyList<TierView> ChildrenOf(string parentId) =>
            [.. byParent[parentId].OrderBy(tier => tier.RequestedAt).Select(tier => View(tier, Holds(tier.TierId), ChildrenOf(tier.TierId)))];
        TierHoldings Holds(string tierId) => holdings.TryGetValue(tierId, out TierHoldings? held) ? held : TierHoldings.None;

        HandoverTerms? terms = engagement.Terms();
        TierHoldings contractorHolds = Holds(Tiers.Contractor);
        var contractor = new TierView(
            Tiers.Contractor,
            null,
            1,
            [Tiers.Contractor],
            engagement.ContractorName,
            null,
            ContractorStatus(engagement),
            null,
            terms?.Subcontracting,
            null,
            null,
            engagement.ContractStartsOn,
            engagement.ContractEndsOn,
            terms?.DataItems ?? [],
            contractorHolds.Items,
            contractorHolds.Records,
            null,
            engagement.SignedContractEvidenceId,
            null,
            engagement.Decision is { } decision ? new DecisionView(decision, engagement.DecidedBy ?? string.Empty, null, engagement.DecisionReason ?? string.Empty) : null,
            null,
            null,
            false,
            null,
            engagement.CreatedAt,
            ChildrenOf(Tiers.Contractor));
        return new ChainResponse(engagement.EngagementId, maxDepth, tiers.Count, contractor);
    }

    public static TierView View(TierRecord tier, TierHoldings holds, IReadOnlyList<TierView> children)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(holds);
        return new TierView(
            tier.TierId,
            tier.ParentTierId,
            tier.Depth,
            tier.Path.Split('/'),
            tier.CompanyName,
            tier.CorporateNumber,
            tier.CurrentStatus,
            Enum.Parse<SubcontractPolicy>(tier.GovernedBy),
            Enum.Parse<SubcontractPolicy>(tier.Policy),
            tier.Work,
            tier.WorkSite,
            tier.PlannedStart,
            tier.PlannedEnd,
            tier.Items(),
            holds.Items,
            holds.Records,
            tier.Statement(),
            tier.SignedSubcontractEvidenceId,
            new TierDueDiligenceView(tier.DueDiligenceRequestId, tier.ScorePercentage, tier.RiskTier),
            tier.Decision is { } decision ? new DecisionView(decision, tier.DecidedBy ?? string.Empty, tier.DecidedAt, tier.DecisionReason ?? string.Empty) : null,
            tier.AcknowledgedBy is { } by ? new TierAcknowledgementView(by, tier.AcknowledgedAt, tier.AcknowledgementNote) : null,
            tier.SuspendedBy is { } suspendedBy ? new SuspensionView(suspendedBy, tier.SuspendedAt, tier.SuspensionReason ?? string.Empty) : null,
            tier.AwaitsStaff,
            tier.RequestedBy,
            tier.RequestedAt,
            children);
    }

    private static SubcontractStatus ContractorStatus(EngagementRecord engagement) =>
        engagement.Stage == nameof(EngagementStage.Rejected) ? SubcontractStatus.Rejected
        : engagement.Gate().IsOpen ? SubcontractStatus.InForce
        : SubcontractStatus.AwaitingApproval;
}
