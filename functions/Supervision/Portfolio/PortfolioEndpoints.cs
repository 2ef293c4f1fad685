using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Portfolio;
using Supervision.Domain.Selection;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Security;

namespace Supervision.Portfolio;

public sealed record PortfolioItem(
    string EngagementId,
    string ContractorName,
    string Stage,
    string? RiskTier,
    int DaysOverdue,
    IReadOnlyList<string> Overdue,
    IReadOnlyDictionary<string, string> Outstanding,
    IReadOnlyList<string> Decisions,
    string? Supervisor);

public sealed record PortfolioPage(IReadOnlyList<PortfolioItem> Items, string? Next);

/// <summary>A read of the portfolio or of my work: refused (<paramref name="Denied"/>), invalid (<paramref name="Errors"/>), or a page.</summary>
public sealed record PortfolioRead(IResult? Denied, IReadOnlyDictionary<string, string[]>? Errors, PortfolioPage? Page, StaffUser? User)
{
    public IResult ToResult(string invalidTitle) =>
        Denied ?? (Errors is not null ? Problems.Invalid(Errors, invalidTitle) : TypedResults.Ok(Page));
}

/// <summary>
/// <c>GET /api/portfolio</c>: every engagement, most overdue first, filtered by stage, risk tier, contractor (name
/// prefix), supervisor (exact, any case; <c>me</c> for the caller) and overdue kind, a page at a time. Read from the portfolio index, never by scanning the engagements.
/// </summary>
public sealed partial class PortfolioEndpoints(PortfolioIndex index, StaffAccess staff, TimeProvider time)
{
    public const string Route = "api/portfolio";

    public const string MyWorkRoute = "api/my-work";

    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    /// <summary>The only order there is: most days overdue first (ties by id).</summary>
    public const string SortByDaysOverdue = "daysOverdue";

    public const string CsvRoute = "api/portfolio.csv";

    private static readonly string[] FilterParameters = ["stage", "riskTier", "contractor", "supervisor", "overdue", "sort"];

    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        (await ReadPortfolioAsync(request, request.Query, cancellationToken)).ToResult("The portfolio cannot be filtered so.");

    /// <summary>
    /// <c>GET /api/my-work</c>: the engagements waiting for a decision the caller's roles may take (selection, report
    /// review, subcontract, incident judgement, return receipt, close), most overdue first, paged as the portfolio is.
    /// An auditor, who decides nothing, gets an empty list.
    /// </summary>
    public async Task<IResult> MyWorkAsync(HttpRequest request, CancellationToken cancellationToken) =>
        (await ReadMyWorkAsync(request, request.Query, cancellationToken)).ToResult("My work cannot be listed so.");

    /// <summary>My work as the API and the staff page read it: the caller's decisions, or why not.</summary>
    public async Task<PortfolioRead> ReadMyWorkAsync(HttpRequest request, IQueryCollection query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        StaffAccessResult access = staff.ToRead(request, StaffRoles.Readers);
        if (access.Denied is not null)
            return new(access.Denied, null, null, null);
        IReadOnlyList<PendingDecision> mine = PendingDecisions.For(access.User!.Roles);
        var errors = new ValidationErrors();
        foreach (string unknown in query.Keys.Except(PageParameters, StringComparer.Ordinal))
            errors.Add(unknown, $"is not a parameter; my work is paged by {string.Join(", ", PageParameters)}.");
        (int pageSize, string? after) = Paging(query, errors);
        if (!errors.IsEmpty)
            return new(null, errors.ToDictionary(), null, access.User);
        if (mine.Count == 0)
            return new(null, null, new PortfolioPage([], null), access.User);
        string filter = "(" + string.Join(" or ", mine.Select(decision => $"{PortfolioRecord.AwaitsColumn(decision)} eq true")) + ")";
        (IReadOnlyList<PortfolioRecord> rows, string? next) = await index.PageAsync(filter, after, pageSize, cancellationToken);
        DateOnly today = JapanCalendar.DateAt(time.GetUtcNow());
        return new(null, null, new PortfolioPage([.. rows.Select(row => Item(row, today, mine))], next), access.User);
    }

    private static readonly string[] PageParameters = ["pageSize", "after"];

    /// <summary>The portfolio as the API and the staff page read it: a page as filtered, or why not.</summary>
    public async Task<PortfolioRead> ReadPortfolioAsync(HttpRequest request, IQueryCollection query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        StaffAccessResult access = staff.ToRead(request, StaffRoles.Readers);
        if (access.Denied is not null)
            return new(access.Denied, null, null, null);
        DateOnly today = JapanCalendar.DateAt(time.GetUtcNow());
        var errors = new ValidationErrors();
        string? filter = Filter(query, today, access.User!.Name, errors, [.. FilterParameters, .. PageParameters]);
        (int pageSize, string? after) = Paging(query, errors);
        if (!errors.IsEmpty)
            return new(null, errors.ToDictionary(), null, access.User);

        (IReadOnlyList<PortfolioRecord> rows, string? next) = await index.PageAsync(filter, after, pageSize, cancellationToken);
        return new(null, null, new PortfolioPage([.. rows.Select(row => Item(row, today, Enum.GetValues<PendingDecision>()))], next), access.User);
    }

    /// <summary>
    /// <c>GET /api/portfolio.csv</c>, for supervisors and auditors: the whole portfolio as filtered (the same filters,
    /// no paging), most overdue first, as CSV for a spreadsheet.
    /// </summary>
    public async Task<IResult> ExportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffAccessResult access = staff.ToRead(request, [StaffRole.Supervisor, StaffRole.Auditor]);
        if (access.Denied is not null)
            return access.Denied;
        DateOnly today = JapanCalendar.DateAt(time.GetUtcNow());
        var errors = new ValidationErrors();
        string? filter = Filter(request.Query, today, access.User!.Name, errors, FilterParameters);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary(), "The portfolio cannot be filtered so.");

        var items = new List<PortfolioItem>();
        string? after = null;
        do
        {
            (IReadOnlyList<PortfolioRecord> rows, string? next) = await index.PageAsync(filter, after, MaxPageSize, cancellationToken);
            items.AddRange(rows.Select(row => Item(row, today, Enum.GetValues<PendingDecision>())));
            after = next;
        }
        while (after is not null);
        return CsvResults.Attachment($"portfolio-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv", CsvColumns, items);
    }

    private static readonly CsvColumn<PortfolioItem>[] CsvColumns =
    [
        new("engagementId", item => item.EngagementId),
        new("contractorName", item => item.ContractorName),
        new("stage", item => item.Stage),
        new("riskTier", item => item.RiskTier),
        new("supervisor", item => item.Supervisor),
        new("daysOverdue", item => CsvResults.Number(item.DaysOverdue)),
        new("overdue", item => CsvResults.Json(item.Overdue)),
        new("outstanding", item => CsvResults.Json(item.Outstanding)),
        new("decisions", item => CsvResults.Json(item.Decisions)),
    ];

    /// <summary>
    /// The portfolio's filters read from <paramref name="query"/>, as one table filter (null for none); errors name what
    /// is wrong. <paramref name="caller"/> is who <c>supervisor=me</c> means.
    /// </summary>
    private static string? Filter(IQueryCollection query, DateOnly today, string caller, ValidationErrors errors, IReadOnlyCollection<string> allowed)
    {
        foreach (string unknown in query.Keys.Except(allowed, StringComparer.Ordinal))
            errors.Add(unknown, $"is not a filter; the portfolio is filtered by {string.Join(", ", allowed)}.");
        var filters = new List<string>();
        if (One(query, "stage", errors) is { } stage)
        {
            if (Enum.TryParse(stage, ignoreCase: true, out EngagementStage parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(stage[0]))
                filters.Add(TableClient.CreateQueryFilter($"Stage eq {parsed.ToString()}"));
            else
                errors.Add("stage", $"must be one of {string.Join(", ", Enum.GetNames<EngagementStage>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
        }

        if (One(query, "riskTier", errors) is { } tier)
        {
            if (Enum.TryParse(tier, ignoreCase: true, out RiskTier parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(tier[0]))
                filters.Add(TableClient.CreateQueryFilter($"RiskTier eq {parsed.ToString()}"));
            else
                errors.Add("riskTier", $"must be one of {string.Join(", ", Enum.GetNames<RiskTier>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
        }

        if (One(query, "contractor", errors) is { } contractor)
        {
            errors.RequiredLine("contractor", contractor, 200);
            filters.Add(TableClient.CreateQueryFilter($"ContractorName ge {contractor} and ContractorName lt {contractor + char.MaxValue}"));
        }

        if (One(query, "supervisor", errors) is { } supervisor)
        {
            errors.RequiredLine("supervisor", supervisor, Supervisors.MaxNameLength);
            filters.Add(TableClient.CreateQueryFilter($"SupervisorKey eq {Supervisors.Key(Supervisors.Filtered(supervisor, caller))}"));
        }

        if (One(query, "overdue", errors) is { } overdue)
        {
            string todayText = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            IEnumerable<OverdueKind> kinds = overdue == "any"
                ? Enum.GetValues<OverdueKind>()
                : Enum.TryParse(overdue, ignoreCase: true, out OverdueKind kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(overdue[0]) ? [kind] : [];
            if (!kinds.Any())
                errors.Add("overdue", $"must be any or one of {string.Join(", ", Enum.GetNames<OverdueKind>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
            else
                filters.Add("(" + string.Join(" or ", kinds.Select(each => $"{PortfolioRecord.DueColumn(each)} lt {TableClient.CreateQueryFilter($"{todayText}")}")) + ")");
        }

        if (One(query, "sort", errors) is { } sort && sort != SortByDaysOverdue)
            errors.Add("sort", $"must be {SortByDaysOverdue} (most days overdue first), the only order there is.");
        return filters.Count == 0 ? null : string.Join(" and ", filters);
    }

    private static (int PageSize, string? After) Paging(IQueryCollection query, ValidationErrors errors)
    {
        int pageSize = DefaultPageSize;
        if (One(query, "pageSize", errors) is { } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            errors.Add("pageSize", $"must be 1 to {MaxPageSize}.");
        string? after = One(query, "after", errors);
        if (after is not null && !PageToken().IsMatch(after))
            errors.Add("after", "is not a page token this API gave (use the next value of the previous page as it is).");
        return (pageSize, after);
    }

    /// <summary>The row as the API answers it, with the decisions among <paramref name="shown"/> it waits for.</summary>
    private static PortfolioItem Item(PortfolioRecord row, DateOnly today, IReadOnlyCollection<PendingDecision> shown)
    {
        IReadOnlyDictionary<OverdueKind, DateOnly> earliest = row.EarliestByKind();
        return new PortfolioItem(
            row.EngagementId,
            row.ContractorName,
            JsonNamingPolicy.CamelCase.ConvertName(row.Stage),
            row.RiskTier is null ? null : JsonNamingPolicy.CamelCase.ConvertName(row.RiskTier),
            Outstandings.DaysOverdue(earliest, today),
            [.. Outstandings.OverdueKinds(earliest, today).Select(kind => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()))],
            earliest.ToDictionary(pair => JsonNamingPolicy.CamelCase.ConvertName(pair.Key.ToString()), pair => pair.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            [.. row.Decisions().Where(shown.Contains).Select(decision => JsonNamingPolicy.CamelCase.ConvertName(decision.ToString()))],
            row.Supervisor);
    }

    /// <summary>The parameter's one value (null when absent); given twice is an error.</summary>
    private static string? One(IQueryCollection query, string name, ValidationErrors errors)
    {
        if (!query.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values))
            return null;
        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            errors.Add(name, "must be given once, not empty.");
            return null;
        }

        return values[0];
    }

    [GeneratedRegex("^[0-9]{8}\\|[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex PageToken();
}
