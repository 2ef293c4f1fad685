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
    IReadOnlyDictionary<string, string> Outstanding);

public sealed record PortfolioPage(IReadOnlyList<PortfolioItem> Items, string? Next);

/// <summary>
/// <c>GET /api/portfolio</c>: every engagement, most overdue first, filtered by stage, risk tier, contractor (name
/// prefix) and overdue kind, a page at a time. Read from the portfolio index, never by scanning the engagements.
/// </summary>
public sealed partial class PortfolioEndpoints(PortfolioIndex index, StaffAccess staff, TimeProvider time)
{
    public const string Route = "api/portfolio";

    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    /// <summary>The only order there is: most days overdue first (ties by id).</summary>
    public const string SortByDaysOverdue = "daysOverdue";

    private static readonly string[] Parameters = ["stage", "riskTier", "contractor", "overdue", "sort", "pageSize", "after"];

    public Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffAccessResult access = staff.ToRead(request, StaffRoles.Readers);
        return access.Denied is not null ? Task.FromResult(access.Denied) : ListAdmittedAsync(request.Query, cancellationToken);
    }

    private async Task<IResult> ListAdmittedAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        DateOnly today = JapanCalendar.DateAt(time.GetUtcNow());
        var errors = new ValidationErrors();
        foreach (string unknown in query.Keys.Except(Parameters, StringComparer.Ordinal))
            errors.Add(unknown, $"is not a filter; the portfolio is filtered by {string.Join(", ", Parameters)}.");
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
        int pageSize = DefaultPageSize;
        if (One(query, "pageSize", errors) is { } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            errors.Add("pageSize", $"must be 1 to {MaxPageSize}.");
        string? after = One(query, "after", errors);
        if (after is not null && !PageToken().IsMatch(after))
            errors.Add("after", "is not a page token this API gave (use the next value of the previous page as it is).");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary(), "The portfolio cannot be filtered so.");

        (IReadOnlyList<PortfolioRecord> rows, string? next) = await index.PageAsync(filters.Count == 0 ? null : string.Join(" and ", filters), after, pageSize, cancellationToken);
        return TypedResults.Ok(new PortfolioPage([.. rows.Select(row => Item(row, today))], next));
    }

    private static PortfolioItem Item(PortfolioRecord row, DateOnly today)
    {
        IReadOnlyDictionary<OverdueKind, DateOnly> earliest = row.EarliestByKind();
        return new PortfolioItem(
            row.EngagementId,
            row.ContractorName,
            JsonNamingPolicy.CamelCase.ConvertName(row.Stage),
            row.RiskTier is null ? null : JsonNamingPolicy.CamelCase.ConvertName(row.RiskTier),
            Outstandings.DaysOverdue(earliest, today),
            [.. Outstandings.OverdueKinds(earliest, today).Select(kind => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()))],
            earliest.ToDictionary(pair => JsonNamingPolicy.CamelCase.ConvertName(pair.Key.ToString()), pair => pair.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
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
