using System.Globalization;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Subcontracts;

namespace Supervision.Subcontracts;

/// <summary>
/// The staff page's rows: the tree walked in document order, each row saying whether it opens a list of children
/// and how many lists close after it, with the words staff read in Japanese and times in JST.
/// </summary>
internal static class ChainPage
{
    public static List<object> Rows(TierView contractor)
    {
        var order = new List<(TierView Tier, int Level)>();
        void Walk(TierView tier, int level)
        {
            order.Add((tier, level));
            foreach (TierView child in tier.Children)
                Walk(child, level + 1);
        }

        Walk(contractor, 1);
        return [.. order.Select((row, index) => Row(row.Tier, row.Tier.Children.Count > 0 ? 0 : row.Level - (index + 1 < order.Count ? order[index + 1].Level : 1)))];
    }

    private static object Row(TierView tier, int closes) => new
    {
        id = tier.Id,
        depth = tier.Depth,
        has_children = tier.Children.Count > 0,
        closes,
        company = tier.Company,
        corporate_number = tier.CorporateNumber,
        status = Camel(tier.Status),
        status_text = Status(tier.Status),
        policy = tier.Policy is { } policy ? new { id = Camel(policy), text = Policy(policy) } : null,
        governed_by = tier.GovernedBy is { } governedBy ? new { id = Camel(governedBy), text = Policy(governedBy) } : null,
        decision = tier.Decision is { } decision
            ? new { id = decision.Decision, text = decision.Decision switch { "approved" => "承認", "rejected" => "却下", _ => decision.Decision }, by = decision.By, at = Jst(decision.At), reason = decision.Reason }
            : null,
        acknowledgement = tier.Acknowledgement is { } acknowledged ? new { by = acknowledged.By, at = Jst(acknowledged.At), note = acknowledged.Note } : null,
        suspension = tier.Suspension is { } suspended ? new { by = suspended.By, at = Jst(suspended.At), reason = suspended.Reason } : null,
        due_diligence = tier.DueDiligence is { } diligence
            ? new { percentage = diligence.Percentage?.ToString("0.#", CultureInfo.InvariantCulture), risk = diligence.RiskTier }
            : null,
        work_site = tier.WorkSite,
        holds = tier.Holds.Select(holding => new { item = holding.DataItem, records = holding.Records }).ToList(),
        records_held = tier.RecordsHeld,
        workers = tier.WorkStatement is { } statement
            ? statement.Workers.Prepend(statement.Manager).Select((worker, index) => new
            {
                name = worker.Name,
                role = worker.Role,
                manager = index == 0,
                affiliation = Camel(worker.Affiliation),
                affiliation_text = Affiliation(worker.Affiliation),
                employer = worker.EmployerName,
                trained = worker.Trained,
            }).ToList()
            : null,
    };

    private static string Status(SubcontractStatus status) => status switch
    {
        SubcontractStatus.AwaitingApproval => "承認待ち",
        SubcontractStatus.AwaitingCriteriaCheck => "基準の確認待ち",
        SubcontractStatus.InForce => "有効（in force）",
        SubcontractStatus.Rejected => "却下",
        SubcontractStatus.Suspended => "一時停止",
        SubcontractStatus.Revoked => "取消し",
        _ => status.ToString(),
    };

    private static string Policy(SubcontractPolicy policy) => policy switch
    {
        SubcontractPolicy.Prohibited => "再委託を認めない",
        SubcontractPolicy.PriorApproval => "事前の書面による承認",
        SubcontractPolicy.ReportAfterTheFact => "事後の報告",
        SubcontractPolicy.DelegatedUnderCriteria => "基準を定めて一任",
        SubcontractPolicy.Delegated => "一任",
        _ => policy.ToString(),
    };

    private static string Affiliation(WorkerAffiliation affiliation) => affiliation switch
    {
        WorkerAffiliation.ThisTier => "この層の社員",
        WorkerAffiliation.ParentTier => "上位の層の社員",
        WorkerAffiliation.StaffingAgency => "派遣社員",
        _ => affiliation.ToString(),
    };

    private static string Camel<TEnum>(TEnum value)
        where TEnum : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string? Jst(DateTimeOffset? at) => JapanCalendar.Minute(at);
}
