using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Supervision.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Subcontracts;
using Supervision.Domain.Vendors;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;
using Microsoft.Extensions.Options;
using Supervision.Domain.Audit;

namespace Supervision.Subcontracts;

/// <summary>A link mailed to a tier, or why none can be.</summary>
public sealed record IssuedTierLink(IResult? Problem, TierLinkView? View = null);

/// <summary>
/// The standing request each tier requests its subcontractors through (3-2): one per tier, never due, never chased,
/// about that tier alone; each call mails its contact a fresh link to it. A tier that may not subcontract gets none.
/// </summary>
public sealed class SubcontractLinks(
    EngagementStore engagements, TierStore tiers, VendorRequests requests, RequestMail mail, AuditLog audit, IOptions<SubcontractOptions> options)
{
    public const string RequestKind = "subcontract-request";

    /// <summary>The standing request of a tier: <c>subcontracts.{tierId}</c> derived under the engagement.</summary>
    public static string RequestId(string engagementId, string tierId) => RequestIds.Derive(engagementId, $"subcontracts.{tierId}");

    public async Task<IssuedTierLink> IssueAsync(string engagementId, string tierId, string actor, CancellationToken cancellationToken)
    {
        EngagementRecord? engagement = await engagements.GetAsync(engagementId, cancellationToken);
        if (engagement is null)
            return new(Problems.NotFound("The engagement"));
        OnboardingRequest onboarding = JsonSerializer.Deserialize<OnboardingRequest>(engagement.Request, ApiJson.Options)!;
        if (!engagement.Gate().IsOpen)
            return new(Problems.Conflict("The contract is not complete: nothing may be subcontracted yet.", "Complete the contract first."));

        MailAddressee? recipient = null;
        string? organisation = null;
        Language language = onboarding.Contact.PreferredLanguage;
        SubcontractPolicy policy = engagement.Terms()!.Subcontracting!.Value;
        if (tierId != Tiers.Contractor)
        {
            if (!EngagementIds.IsWellFormed(tierId) || await tiers.GetAsync(engagementId, tierId, cancellationToken) is not { } tier)
                return new(Problems.NotFound("The tier"));
            if (tier.CurrentStatus != SubcontractStatus.InForce)
                return new(Problems.Conflict("The tier may not subcontract.", $"Tier {tierId} is {tier.Status}: only a tier in force may subcontract."));
            if (tier.Depth >= options.Value.MaxDepth)
                return new(Problems.Conflict("The tier may not subcontract.", $"Tier {tierId} stands at depth {tier.Depth}, the deepest allowed ({options.Value.MaxDepth})."));
            recipient = new MailAddressee(tier.ContactEmail, tier.ContactName);
            organisation = tier.CompanyName;
            language = Languages.TryParse(tier.Language, out Language parsed) ? parsed : Language.Ja;
            policy = Enum.Parse<SubcontractPolicy>(tier.Policy);
        }

        if (policy == SubcontractPolicy.Prohibited)
            return new(Problems.Conflict("The contract prohibits subcontracting.", $"Tier {tierId} may not subcontract (3-1): no link is issued."));

        string requestId = RequestId(engagementId, tierId);
        (VendorRequestRecord request, IssuedLink? first) = await requests.OpenOnceAsync(
            new NewVendorRequest(
                engagementId, RequestKind, "再委託先の申請", "Request a subcontractor", [], [], language,
                Recipient: recipient, RequestId: requestId, Subject: tierId, RecipientOrganisation: organisation),
            cancellationToken);
        if (request.Status != nameof(RequestStatus.Open))
            return new(Problems.Conflict("The tier may not subcontract.", $"Tier {tierId}'s requests were withdrawn."));

        IssuedLink link = first ?? await requests.IssueLinkAsync(engagementId, requestId, LinkPurpose.Respond, cancellationToken);
        string expiresOn = RequestMail.DueDate(link.ExpiresAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await mail.SendAsync(
            MailTemplates.SubcontractLink, request, onboarding, link, link.ExpiresAt, RequestMail.Key(engagementId, requestId, $"link.{link.LinkId}"),
            new Dictionary<string, string> { ["expiresAt"] = expiresOn });
        string mailedTo = recipient?.Address ?? onboarding.Contact.Email;
        await audit.AppendAsync(
            engagementId,
            actor,
            AuditActions.SubcontractLinkIssued,
            new Dictionary<string, string> { ["tier"] = tierId, ["requestId"] = requestId, ["linkId"] = link.LinkId, ["expiresAt"] = expiresOn },
            cancellationToken,
            entryKey: $"tier.{tierId}.link.{link.LinkId}");
        return new(null, new TierLinkView(tierId, requestId, link.LinkId, link.ExpiresAt, mailedTo));
    }
}
