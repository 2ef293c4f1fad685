using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Portfolio;
using Supervision.Domain.Selection;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Security;

namespace Supervision.Portfolio;

/// <summary>
/// The staff console's first pages: the portfolio and my work today, server-rendered in Japanese or English (the
/// browser's language, or <c>?lang=</c>), usable without script. They read through the same code as the API
/// (<see cref="PortfolioEndpoints"/>), so a filter the API refuses is refused here too, as a message on the page.
/// </summary>
public sealed class PortfolioPages(PortfolioEndpoints portfolio, LiquidPages pages, StaffAccess staff)
{
    public const string PortfolioRoute = "staff/portfolio";
    public const string MyWorkRoute = "staff/my-work";

    private const string LanguageParameter = "lang";

    public async Task<IResult> PortfolioAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (Language language, QueryCollection query) = Read(request);
        return await RenderAsync(request, language, query, await portfolio.ReadPortfolioAsync(request, query, cancellationToken), myWork: false);
    }

    public async Task<IResult> MyWorkAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (Language language, QueryCollection query) = Read(request);
        return await RenderAsync(request, language, query, await portfolio.ReadMyWorkAsync(request, query, cancellationToken), myWork: true);
    }

    private async Task<IResult> RenderAsync(HttpRequest request, Language language, QueryCollection query, PortfolioRead read, bool myWork)
    {
        if (read.Denied is not null)
            return read.Denied;
        IReadOnlyDictionary<string, string> text = PortfolioPageText.For(language);
        string Word(string group, string value) => PortfolioPageText.Word(language, group, value);
        string? Given(string name) => query.TryGetValue(name, out StringValues value) ? value.ToString() : null;
        string route = "/" + (myWork ? MyWorkRoute : PortfolioRoute);
        string nonce = PageHeaders.ApplyToStaffPage(request.HttpContext.Response);
        string html = await pages.RenderAsync("staff-portfolio", new
        {
            nonce,
            t = text,
            my_work = myWork,
            route,
            other_lang_href = Href(route, query, ("lang", text["other_lang"])),
            user = read.User!.Name,
            roles = string.Join(", ", read.User.Roles.Select(role => role.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal)),
            dev_sign_in = staff.IsDevelopmentSignIn,
            may_onboard = read.User.Roles.Contains(StaffRole.Procurement),
            onboarding_link = EngagementFormText.For(language)["onboarding_link"],
            decides_nothing = myWork && PendingDecisions.For(read.User.Roles).Count == 0,
            errors = read.Errors?.SelectMany(error => error.Value.Select(message => new { field = error.Key, message })).ToList(),
            stages = Options<EngagementStage>("stage", Given("stage"), Word),
            risk_tiers = Options<RiskTier>("riskTier", Given("riskTier"), Word),
            overdue_kinds = Options<OverdueKind>("overdue", Given("overdue"), Word),
            any_overdue = Given("overdue") == "any",
            contractor = Given("contractor"),
            supervisor = Given("supervisor"),
            mine_href = Href(route, new QueryCollection(query.Where(pair => pair.Key is not ("pageSize" or "after")).ToDictionary()), ("supervisor", Supervisors.Me), ("lang", text["lang"])),
            csv_href = Href("/" + PortfolioEndpoints.CsvRoute, new QueryCollection(query.Where(pair => pair.Key is not ("pageSize" or "after")).ToDictionary())),
            items = read.Page?.Items.Select(item => new
            {
                id = item.EngagementId,
                contractor = item.ContractorName,
                stage = item.Stage,
                stage_text = Word("stage", item.Stage),
                risk = item.RiskTier is null ? null : Word("riskTier", item.RiskTier),
                supervisor = item.Supervisor,
                days_overdue = item.DaysOverdue,
                overdue = item.Overdue.Select(kind => Word("overdue", kind)).ToList(),
                decisions = item.Decisions.Select(decision => Word("decision", decision)).ToList(),
            }).ToList(),
            next_href = read.Page?.Next is { } next ? Href(route, query, ("after", next), ("lang", text["lang"])) : null,
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, read.Errors is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// The page's language, from <c>?lang=</c> or the browser's, and the query the filters read: without it, and
    /// without the fields the form sends empty ("all").
    /// </summary>
    private static (Language Language, QueryCollection Query) Read(HttpRequest request)
    {
        Language language = LanguageOf(request);
        return (language, new QueryCollection(request.Query.Where(pair => pair.Key != LanguageParameter && !StringValues.IsNullOrEmpty(pair.Value) && pair.Value.ToString().Length > 0).ToDictionary()));
    }

    /// <summary>A staff page's language: <c>?lang=</c> when given, else the browser's (Japanese unless it asks for English).</summary>
    public static Language LanguageOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? asked = request.Query[LanguageParameter];
        return asked is not null && Languages.TryParse(asked, out Language chosen)
            ? chosen
            : request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Language.En : Language.Ja;
    }

    private static List<object> Options<TEnum>(string group, string? selected, Func<string, string, string> word)
        where TEnum : struct, Enum =>
        [.. Enum.GetNames<TEnum>().Select(JsonNamingPolicy.CamelCase.ConvertName).Select(value => (object)new
        {
            value,
            text = word(group, value),
            selected = string.Equals(value, selected, StringComparison.OrdinalIgnoreCase),
        })];

    private static string Href(string route, IQueryCollection query, params (string Name, string Value)[] set)
    {
        var parameters = query.Where(pair => set.All(change => change.Name != pair.Key)).ToDictionary(pair => pair.Key, pair => (string?)pair.Value.ToString());
        foreach ((string name, string value) in set)
            parameters[name] = value;
        return QueryHelpers.AddQueryString(route, parameters);
    }
}
