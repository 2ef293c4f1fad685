using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Subcontracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Subcontracts;

/// <summary>
/// The page a tier requests its subcontractors on (ja/en), reached through the link of its standing request, and the
/// call the page makes. A link acts for its own tier only: the parent of every request made through it is that tier.
/// </summary>
public sealed class SubcontractRequestPage(VendorRequests requests, EngagementStore engagements, TierStore tiers, Subcontracting subcontracting, LiquidPages pages)
    : IRequestPage
{
    public const string SubmitRoute = "api/vendor/{token}/subcontracts";

    public string Kind => SubcontractLinks.RequestKind;

    public async Task<IResult> RenderAsync(LinkCheck check, string token, Language language, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        VendorRequestRecord request = check.Request!;
        string tierId = request.Subject ?? Tiers.Contractor;
        EngagementRecord engagement = await engagements.GetAsync(request.PartitionKey, cancellationToken)
            ?? throw new InvalidOperationException($"Engagement {request.PartitionKey} does not exist.");
        (string company, int depth, SubcontractPolicy policy, IReadOnlyList<string> items) = tierId == Tiers.Contractor
            ? (engagement.ContractorName, 1, engagement.Terms()!.Subcontracting!.Value, engagement.Terms()!.DataItems)
            : await TierAsync(request.PartitionKey, tierId, cancellationToken);
        IReadOnlyDictionary<string, string> text = SubcontractPageText.For(language);
        string html = await pages.RenderAsync("subcontract-request", new
        {
            t = text,
            nonce,
            api = $"/api/vendor/{token}/subcontracts",
            open_requests = VendorPages.OpenRequestsPath(token),
            open_requests_link = VendorPageText.For(language)["open_requests_link"],
            company,
            depth,
            child_depth = depth + 1,
            items,
            clauses = ContractClauses.All.Select(clause => new { id = clause.ToString(), text = language == Language.Ja ? clause.TitleJa() : clause.TitleEn() }).ToList(),
            policies = Enum.GetValues<SubcontractPolicy>().Where(candidate => SubcontractRules.IsNotLooser(policy, candidate))
                .Select(candidate => new { id = Camel(candidate), text = text[$"policy_{Camel(candidate)}"] }).ToList(),
            attest = policy == SubcontractPolicy.DelegatedUnderCriteria,
            steps = Enum.GetValues<ProcessStep>().Select(step => new { id = Camel(step), text = text[$"step_{Camel(step)}"] }).ToList(),
            affiliations = Enum.GetValues<WorkerAffiliation>().Select(affiliation => new { id = Camel(affiliation), text = text[$"affiliation_{Camel(affiliation)}"] }).ToList(),
            locations = Enum.GetValues<WorkLocation>().Select(location => new { id = Camel(location), text = text[$"location_{Camel(location)}"] }).ToList(),
            reviews = Enum.GetValues<AccessLogReview>().Select(review => new { id = Camel(review), text = text[$"review_{Camel(review)}"] }).ToList(),
            max_file_bytes = subcontracting.Options.MaxSignedCopyBytes,
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary><c>POST /api/vendor/{token}/subcontracts</c>: the page's request, for the link's own tier.</summary>
    public async Task<IResult> SubmitAsync(HttpRequest request, string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageCall<SubcontractDraft> call = await PageCalls.AdmitAsync<SubcontractDraft>(requests, request, token, SubcontractLinks.RequestKind, cancellationToken, subcontracting.Options.MaxBodyBytes);
        if (call.Problem is not null)
            return call.Problem;
        SubcontractResult result = await subcontracting.RequestAsync(
            call.Request!.PartitionKey, call.Body!, new SubcontractRequester(call.Actor!, call.IdempotencyScope, call.Tier), call.IdempotencyKey, durable, cancellationToken);
        return result.Problem ?? TypedResults.Accepted((string?)null, new { id = result.Tier!.TierId, status = result.Tier.Status, depth = result.Tier.Depth });
    }

    private async Task<(string Company, int Depth, SubcontractPolicy Policy, IReadOnlyList<string> Items)> TierAsync(string engagementId, string tierId, CancellationToken cancellationToken)
    {
        TierRecord tier = await tiers.GetAsync(engagementId, tierId, cancellationToken)
            ?? throw new InvalidOperationException($"Tier {tierId} does not exist.");
        return (tier.CompanyName, tier.Depth, Enum.Parse<SubcontractPolicy>(tier.Policy), tier.Items());
    }

    private static string Camel<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
