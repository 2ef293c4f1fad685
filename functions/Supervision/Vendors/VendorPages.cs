using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;

namespace Supervision.Vendors;

/// <summary>
/// The pages a contractor opens through a signed link: the request's questionnaire (or the page of its own a kind of
/// request has, <see cref="IRequestPage"/>) and the list of everything the engagement asks of the same person. A refused
/// link gets the link error page. Only link ids are ever logged.
/// </summary>
public sealed class VendorPages(
    VendorRequests requests,
    EvidenceStore evidence,
    LiquidPages pages,
    EngagementStore engagements,
    IEnumerable<IRequestPage> ownPages,
    TimeProvider time,
    ILogger<VendorPages> logger)
{
    private readonly Dictionary<string, IRequestPage> pageByKind = ownPages.ToDictionary(page => page.Kind, StringComparer.Ordinal);

    public const string PageRoute = "vendor/{token}";
    public const string OpenRequestsRoute = "vendor/{token}/requests";

    public async Task<IResult> PageAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        PageLink link = await CheckPageLinkAsync(request, token, cancellationToken);
        if (link.Refusal is { } refusal)
            return refusal;

        (LinkCheck check, Language language, string nonce) = (link.Check, link.Language, link.Nonce);
        VendorRequestRecord open = check.Request!;
        if (pageByKind.TryGetValue(open.Kind, out IRequestPage? own))
            return await own.RenderAsync(check, token, language, nonce, cancellationToken);
        RequestSubmission saved = await RequestSubmission.ReadAsync(evidence, open.PartitionKey, open.RequestId, cancellationToken);
        IReadOnlyDictionary<string, string> text = VendorPageText.For(language);
        IReadOnlyList<Question> questions = check.Questions();
        string page = await pages.RenderAsync("vendor-request", new
        {
            t = text,
            nonce,
            api = $"/api/vendor/{token}",
            open_requests = OpenRequestsPath(token),
            title = language == Language.Ja ? open.TitleJa : open.TitleEn,
            due = DueDate(open),
            answered = questions.Count(question => !string.IsNullOrEmpty(saved.Answer(question.Id))),
            questions = questions.Select(question => new
            {
                id = question.Id,
                text = question.Text(language),
                kind = question.Kind.ToString(),
                required = question.Required,
                value = saved.Answer(question.Id) ?? string.Empty,
                choices = AnswerRules.Choices(question.Kind).Select(choice => new { value = choice, label = text[choice] }).ToList(),
            }).ToList(),
            evidence_asked = open.EvidenceAsked.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            uploads = (await evidence.ListAsync(open.PartitionKey, open.RequestId, cancellationToken))
                .Where(upload => upload.UploaderLinkId != EvidenceStore.SystemUploader && upload.Status != nameof(EvidenceStatus.Quarantined))
                .Select(upload => new { name = upload.OriginalFileName, status = upload.Status.ToLowerInvariant() }).ToList(),
        });
        return TypedResults.Content(page, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>
    /// <c>GET /vendor/{token}/requests</c>: everything the engagement currently asks of the person the link was mailed to,
    /// each with a link of its own, so one mail is not the only way in. Another recipient's requests (a subcontractor's
    /// contact, a data receiver) and other engagements' are never listed.
    /// </summary>
    public async Task<IResult> OpenRequestsPageAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        PageLink link = await CheckPageLinkAsync(request, token, cancellationToken);
        if (link.Refusal is { } refusal)
            return refusal;

        (LinkCheck check, Language language, string nonce) = (link.Check, link.Language, link.Nonce);
        VendorRequestRecord presented = check.Request!;
        IReadOnlyDictionary<string, string> text = VendorPageText.For(language);
        IReadOnlyList<VendorRequestRecord> asked = await requests.ListOpenForRecipientAsync(presented, await ContactEmailAsync(presented.PartitionKey, cancellationToken), cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        var rows = new List<object>(asked.Count);
        foreach (VendorRequestRecord open in asked)
        {
            bool isPresented = open.RequestId == presented.RequestId;
            string path = isPresented ? PagePath(token) : (await requests.LinkToShowAsync(open.PartitionKey, open.RequestId, AuditActors.VendorLink(check.Claims!.LinkId), cancellationToken)).Url.AbsolutePath;
            rows.Add(new
            {
                title = language == Language.Ja ? open.TitleJa : open.TitleEn,
                due = DueDate(open),
                overdue = open.DueAt is { } dueAt && Reminders.DaysOverdue(RequestMail.DueDate(dueAt), now) > 0,
                answers_saved = open.AnswersEvidenceId is not null,
                href = $"{path}?lang={language.Code()}",
                current = isPresented,
            });
        }

        logger.LogInformation("Open requests page through link {LinkId}: {Count} requests listed", check.Claims!.LinkId, rows.Count);
        string page = await pages.RenderAsync("vendor-open-requests", new { t = text, nonce, requests = rows });
        return TypedResults.Content(page, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>A page's link checked, the page's language and nonce chosen, and the link error page when it is refused.</summary>
    private sealed record PageLink(LinkCheck Check, Language Language, string Nonce, IResult? Refusal);

    private async Task<PageLink> CheckPageLinkAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LinkCheck check = await requests.CheckAsync(token, LinkPurpose.Respond, cancellationToken);
        Language language = PageLanguage(request, check.Request);
        string nonce = PageHeaders.Apply(request.HttpContext.Response, evidence.UploadConnectSource);
        if (check.IsValid)
            return new(check, language, nonce, null);

        logger.LogInformation("Vendor page refused: {Verdict} for link {LinkId}", check.Verdict, check.Claims?.LinkId);
        string html = await pages.RenderAsync("vendor-link-error", new { t = VendorPageText.For(language), nonce, message = VendorPageText.Explain(check.Verdict, language) });
        return new(check, language, nonce, TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, VendorEndpoints.StatusFor(check.Verdict)));
    }

    private static string PagePath(string token) => $"/vendor/{token}";

    /// <summary>Where a page of a link (this one's or a page of its own) sends the contact for everything asked of them.</summary>
    public static string OpenRequestsPath(string token) => $"{PagePath(token)}/requests";

    private static string? DueDate(VendorRequestRecord request) =>
        request.DueAt is { } dueAt ? RequestMail.DueDate(dueAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Where a request naming no recipient is mailed: the engagement's contact (none when the engagement is gone).</summary>
    private async Task<string> ContactEmailAsync(string engagementId, CancellationToken cancellationToken) =>
        await engagements.GetAsync(engagementId, cancellationToken) is { } engagement
            ? engagement.Onboarding().Contact.Email
            : string.Empty;

    private static Language PageLanguage(HttpRequest request, VendorRequestRecord? open)
    {
        if (Languages.TryParse(request.Query["lang"], out Language chosen))
            return chosen;
        if (open is not null && Languages.TryParse(open.Language, out Language preferred))
            return preferred;
        return request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Language.En : Language.Ja;
    }
}

/// <summary>
/// A kind of request that is answered on a page of its own rather than the questionnaire (such as a request for a
/// subcontractor): the vendor page hands a valid link of that kind to it. Register one as a singleton.
/// </summary>
public interface IRequestPage
{
    string Kind { get; }

    Task<IResult> RenderAsync(LinkCheck check, string token, Language language, string nonce, CancellationToken cancellationToken);
}
