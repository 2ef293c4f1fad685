using System.Text.Json;
using Supervision.Domain.Common;
using Supervision.Domain.Vendors;
using Supervision.Http;
using Supervision.Mail;

namespace Supervision.Vendors;

/// <summary>A request to open: what to ask, in which language, and who waits for the answer.</summary>
public sealed record NewVendorRequest(
    string EngagementId,
    string Kind,
    string TitleJa,
    string TitleEn,
    IReadOnlyList<Question> Questions,
    IReadOnlyList<string> EvidenceAsked,
    Language Language,
    DateTimeOffset? DueAt = null,
    string? WaitingInstanceId = null,
    string? CompletionEvent = null,
    MailAddressee? Recipient = null,
    string? RequestId = null,
    string? Subject = null,
    string? RecipientOrganisation = null,
    bool AskedAfterTheWorkEnds = false);

public sealed record IssuedLink(string RequestId, string LinkId, Uri Url, DateTimeOffset ExpiresAt);

/// <summary>A request as recorded, and its first link if the call that answers this opened it.</summary>
public sealed record OpenedVendorRequest(VendorRequestRecord Record, IssuedLink? FirstLink);

/// <summary>The outcome of checking a presented link: why it is refused, or its claims and open request.</summary>
public sealed record LinkCheck(LinkVerdict Verdict, LinkClaims? Claims, VendorRequestRecord? Request)
{
    public bool IsValid => Verdict == LinkVerdict.Valid;

    public IReadOnlyList<Question> Questions() =>
        Request is null ? [] : JsonSerializer.Deserialize<List<Question>>(Request.Questions, ApiJson.Options) ?? [];
}
