using System.Globalization;
using Microsoft.AspNetCore.Http;
using Supervision.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Subcontracts;
using Supervision.Domain.Vendors;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;

namespace Supervision.Vendors;

/// <summary>
/// A standing request: never due, never chased, about one tier of the chain, answered on a page of its own as often as
/// needed (request a subcontractor, report an incident). <see cref="MailTemplate"/> carries its link;
/// <see cref="Refusal"/> says why a tier may not have one (null: it may).
/// </summary>
public sealed record StandingRequest(
    string Kind, string TitleJa, string TitleEn, string MailTemplate, string TrailAction, Func<EngagementRecord, TierRecord?, IResult?> Refusal, bool AskedAfterTheWorkEnds = false);

/// <summary>A link mailed to a tier: which, through which request and link, until when, to whom.</summary>
public sealed record StandingLinkView(string Tier, string RequestId, string LinkId, DateTimeOffset ExpiresAt, string MailedTo);

/// <summary>A link mailed, or why none can be.</summary>
public sealed record IssuedStandingLink(IResult? Problem, StandingLinkView? View = null);

/// <summary>
/// The standing requests of the chain's tiers: one per kind and tier, opened once; each call mails the tier's contact a
/// fresh link to it. A tier must be in force; the contractor's is the engagement's contact.
/// </summary>
public sealed class StandingLinks(EngagementStore engagements, TierStore tiers, VendorRequests requests, RequestMail mail)
{
    /// <summary>The standing request of a kind and tier: derived under the engagement.</summary>
    public static string RequestId(string engagementId, string kind, string tierId) => RequestIds.Derive(engagementId, $"{kind}.{tierId}");

    public async Task<IssuedStandingLink> IssueAsync(string engagementId, string tierId, StandingRequest standing, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(standing);
        EngagementRecord? engagement = await engagements.GetAsync(engagementId, cancellationToken);
        if (engagement is null)
            return new(Problems.NotFound("The engagement"));
        OnboardingRequest onboarding = engagement.Onboarding();

        TierRecord? tier = null;
        if (tierId != Tiers.Contractor)
        {
            if (!EngagementIds.IsWellFormed(tierId) || (tier = await tiers.GetAsync(engagementId, tierId, cancellationToken)) is null)
                return new(Problems.NotFound("The tier"));
            if (tier.CurrentStatus != SubcontractStatus.InForce)
                return new(Problems.Conflict("The tier has no link of this kind.", $"Tier {tierId} is {tier.Status}: only a tier in force has one."));
        }

        if (standing.Refusal(engagement, tier) is { } refusal)
            return new(refusal);

        string requestId = RequestId(engagementId, standing.Kind, tierId);
        Language language = tier is null ? onboarding.Contact.PreferredLanguage : Languages.TryParse(tier.Language, out Language parsed) ? parsed : Language.Ja;
        TrailEntry Issued(IssuedLink link) => new(
            actor,
            standing.TrailAction,
            new Dictionary<string, string> { ["tier"] = tierId, ["requestId"] = requestId, ["linkId"] = link.LinkId, ["expiresAt"] = ExpiresOn(link) },
            $"{standing.Kind}.{tierId}.link.{link.LinkId}");
        // The request's first link is committed with its entry, in the request's own transaction.
        (VendorRequestRecord request, IssuedLink? first) = await requests.OpenOnceAsync(
            new NewVendorRequest(
                engagementId, standing.Kind, standing.TitleJa, standing.TitleEn, [], [], language,
                Recipient: tier is null ? null : new MailAddressee(tier.ContactEmail, tier.ContactName),
                RequestId: requestId,
                Subject: tierId,
                RecipientOrganisation: tier?.CompanyName,
                AskedAfterTheWorkEnds: standing.AskedAfterTheWorkEnds),
            cancellationToken,
            (_, opened) => new Writes([], [Issued(opened)]));
        if (request.Status != nameof(RequestStatus.Open))
            return new(Problems.Conflict("The tier has no link of this kind.", $"Tier {tierId}'s requests were withdrawn."));

        IssuedLink link = first ?? await requests.IssueLinkAsync(engagementId, requestId, LinkPurpose.Respond, cancellationToken, Issued);
        await mail.SendAsync(
            standing.MailTemplate, request, onboarding, link, link.ExpiresAt, RequestMail.Key(engagementId, requestId, $"link.{link.LinkId}"),
            new Dictionary<string, string> { ["expiresAt"] = ExpiresOn(link) });

        return new(null, new StandingLinkView(tierId, requestId, link.LinkId, link.ExpiresAt, tier?.ContactEmail ?? onboarding.Contact.Email));
    }

    private static string ExpiresOn(IssuedLink link) => RequestMail.DueDate(link.ExpiresAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
