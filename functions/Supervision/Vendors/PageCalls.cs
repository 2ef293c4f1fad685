using Microsoft.AspNetCore.Http;
using Supervision.Domain.Audit;
using Supervision.Domain.Vendors;
using Supervision.Http;
using Supervision.Kernel;

namespace Supervision.Vendors;

/// <summary>
/// A call from a page of its own (<see cref="IRequestPage"/>) that passed: the standing request it acts for, the actor
/// the trail names, the tier the link binds, the idempotency scope of its link's request, the body and its key.
/// </summary>
public sealed record PageCall<T>(IResult? Problem, VendorRequestRecord? Request = null, string? Actor = null, T? Body = null, string? IdempotencyKey = null)
    where T : class
{
    /// <summary>The tier the link acts for: the request's subject, the contractor when it has none.</summary>
    public string Tier => Request?.Subject ?? Tiers.Contractor;

    /// <summary>What the same idempotency key is scoped to: the link's request, whichever of its links is used.</summary>
    public string IdempotencyScope => $"link-request:{Request!.RequestId}";
}

public static class PageCalls
{
    /// <summary>
    /// Checks a call from a page of <paramref name="kind"/>: the link (any refusal as for every link), its request's kind,
    /// the idempotency key, then the body. A link of another kind is refused as a wrong purpose; nothing is written.
    /// </summary>
    public static async Task<PageCall<T>> AdmitAsync<T>(VendorRequests requests, HttpRequest request, string token, string kind, CancellationToken cancellationToken, int maxBytes = JsonBody.DefaultMaxBytes)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(requests);
        LinkCheck check = await requests.CheckAsync(token, LinkPurpose.Respond, cancellationToken);
        if (!check.IsValid)
            return new(VendorEndpoints.LinkProblem(check.Verdict));
        if (check.Request!.Kind != kind)
            return new(VendorEndpoints.LinkProblem(LinkVerdict.WrongPurpose));
        if (StaffInput.IdempotencyKey(request, out string? key) is { } badKey)
            return new(badKey);
        BodyResult<T> body = await JsonBody.ReadAsync<T>(request, cancellationToken, maxBytes);
        return body.Problem is not null
            ? new(body.Problem)
            : new(null, check.Request, AuditActors.VendorLink(check.Claims!.LinkId), body.Value, key);
    }
}
