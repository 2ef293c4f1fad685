using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Supervision.Domain.Audit;
using Supervision.Domain.Contracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Subcontracts;

/// <summary>
/// The standing request each tier requests its subcontractors through (3-2). A tier that may not subcontract gets no
/// link: one at the deepest tier allowed, or one whose own contract prohibits it.
/// </summary>
public sealed class SubcontractLinks(StandingLinks links, IOptions<SubcontractOptions> options)
{
    public const string RequestKind = "subcontract-request";

    /// <summary>The standing request of a tier.</summary>
    public static string RequestId(string engagementId, string tierId) => StandingLinks.RequestId(engagementId, RequestKind, tierId);

    public Task<IssuedStandingLink> IssueAsync(string engagementId, string tierId, string actor, CancellationToken cancellationToken) =>
        links.IssueAsync(engagementId, tierId, new StandingRequest(RequestKind, "再委託先の申請", "Request a subcontractor", MailTemplates.SubcontractLink, AuditActions.SubcontractLinkIssued, Refusal), actor, cancellationToken);

    private IResult? Refusal(EngagementRecord engagement, TierRecord? tier)
    {
        if (!engagement.Gate().IsOpen)
            return Problems.Conflict("The contract is not complete: nothing may be subcontracted yet.", "Complete the contract first.");
        if (RequestMail.HasEnded(engagement))
            return Problems.Conflict("The work has ended: nothing more may be subcontracted.", $"Engagement {engagement.EngagementId} is {engagement.Stage}.");
        if (tier is not null && tier.Depth >= options.Value.MaxDepth)
            return Problems.Conflict("The tier may not subcontract.", $"Tier {tier.TierId} stands at depth {tier.Depth}, the deepest allowed ({options.Value.MaxDepth}).");
        SubcontractPolicy policy = tier is null ? engagement.Terms()!.Subcontracting!.Value : Enum.Parse<SubcontractPolicy>(tier.Policy);
        return policy == SubcontractPolicy.Prohibited
            ? Problems.Conflict("The contract prohibits subcontracting.", $"Tier {tier?.TierId ?? Tiers.Contractor} may not subcontract (3-1): no link is issued.")
            : null;
    }
}
