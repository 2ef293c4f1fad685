using System.Text;
using Microsoft.AspNetCore.Http;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Subcontracts;

/// <summary>
/// The chain of an engagement for staff (3-2, 7-2): every tier under the contractor as a tree with what each holds now,
/// as JSON and as a page.
/// </summary>
public sealed class ChainEndpoints(
    TierStore tiers,
    Subcontracting subcontracting,
    StaffCalls calls,
    LiquidPages pages)
{
    public const string ChainRoute = "api/engagements/{engagementId}/chain";
    public const string ChainPageRoute = "staff/engagements/{engagementId}/chain";

    /// <summary><c>GET …/chain</c>: every tier under the contractor as a tree, with what each holds now (7-2).</summary>
    public async Task<IResult> ChainAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        ChainRead read = await ReadChainAsync(request, engagementId, cancellationToken);
        return read.Problem ?? TypedResults.Ok(read.Chain);
    }

    /// <summary>
    /// <c>GET /staff/engagements/{engagementId}/chain</c>: the same tree as a page for staff, in Japanese. The tree is
    /// flattened here into rows in document order, each saying whether it opens a list of children and how many lists
    /// close after it, so the template nests <c>ul</c>/<c>li</c> with one loop at any depth.
    /// </summary>
    public async Task<IResult> ChainPageAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        ChainRead read = await ReadChainAsync(request, engagementId, cancellationToken);
        if (read.Problem is not null)
            return read.Problem;
        ChainResponse chain = read.Chain!;
        string nonce = PageHeaders.Apply(request.HttpContext.Response);
        string html = await pages.RenderAsync("staff-chain", new
        {
            nonce,
            engagement = chain.EngagementId,
            tier_count = chain.Tiers,
            max_depth = chain.MaxDepth,
            tiers = ChainPage.Rows(chain.Contractor),
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The one read of a chain both the JSON and the page answer with: staff who may read, an engagement that exists.</summary>
    private async Task<ChainRead> ReadChainAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return new(call.Refused);
        Task<List<TierRecord>> rows = tiers.ListAsync(engagementId, cancellationToken);
        Task<List<HandoverRecord>> handovers = tiers.ListHandoversAsync(engagementId, cancellationToken);
        await Task.WhenAll(rows, handovers);
        return new(null, ChainViews.Build(call.Engagement!, await rows, await handovers, subcontracting.Options.MaxDepth));
    }

    private sealed record ChainRead(IResult? Problem, ChainResponse? Chain = null);
}
