using System.Globalization;
using System.Text.Json;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Inspections;
using Supervision.Kernel;
using Supervision.Reports;
using Supervision.Vendors;

namespace Supervision.Engagements;

/// <summary>
/// Everyone an engagement waits for now, with what and by when: the one answer a supervisor needs first. Before the
/// contract is complete the stage says it; once active, every request the contractor has not answered (report, pledge,
/// training, corrective action, certificate renewal…) and every submission a supervisor has not yet decided on.
/// </summary>
public sealed class EngagementWaits(VendorRequests requests, ReportStore reports, InspectionStore inspections)
{
    public async Task<IReadOnlyList<WaitingOnView>> ForAsync(EngagementRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        EngagementStage stage = Enum.Parse<EngagementStage>(record.Stage);
        if (stage != EngagementStage.Active)
            return Staged(record, stage);

        string id = record.EngagementId;
        IEnumerable<WaitingOnView> contractor = (await requests.ListOpenAsync(id, cancellationToken))
            .OrderBy(request => request.DueAt ?? DateTimeOffset.MaxValue)
            .Select(request => new WaitingOnView("contractor", request.TitleEn, request.DueAt, [$"{request.Kind}:{request.RequestId}"]));
        IEnumerable<WaitingOnView> reviews = (await reports.ListAsync(id, cancellationToken))
            .Where(report => report.Status == nameof(ReportStatus.Submitted))
            .Select(report => new WaitingOnView(
                "supervisor",
                $"review of report {report.Number.ToString(CultureInfo.InvariantCulture)} ({report.PeriodStart} to {report.PeriodEnd})",
                null,
                [$"report:{report.Number.ToString(CultureInfo.InvariantCulture)}"]));
        IEnumerable<WaitingOnView> closures = (await inspections.ListActionsAsync(id, cancellationToken))
            .Where(action => action.ReportedAt is not null && action.ClosedOn is null)
            .OrderBy(action => action.ReportedAt)
            .Select(action => new WaitingOnView(
                "supervisor",
                $"closure of the reported corrective action: {CorrectiveActionReportRequest.Shorten(action.Description)}",
                null,
                [$"corrective-action:{action.ActionId}"]));
        return [.. contractor, .. reviews, .. closures];
    }

    private static IReadOnlyList<WaitingOnView> Staged(EngagementRecord record, EngagementStage stage) => stage switch
    {
        EngagementStage.SelectionRequested => [new WaitingOnView("contractor", "due-diligence questionnaire", record.DueDiligenceDueAt)],
        EngagementStage.UnderReview when record.Decision is null => [new WaitingOnView("supervisor", "selection decision", null)],
        EngagementStage.ContractRequested => [.. record.Gate().Missing
            .GroupBy(HandoverGate.OwedBy)
            .OrderBy(owed => owed.Key)
            .Select(owed => new WaitingOnView(
                JsonNamingPolicy.CamelCase.ConvertName(owed.Key.ToString()),
                string.Join("; ", owed.Select(gap => gap.Description)),
                owed.Key == ContractParty.Contractor ? record.ContractDueAt : null,
                [.. owed.Select(gap => gap.Code)]))],
        _ => [],
    };
}
