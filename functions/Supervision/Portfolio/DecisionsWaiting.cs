using Supervision.Closing;
using Supervision.Domain.Closing;
using Supervision.Domain.Engagements;
using Supervision.Domain.Portfolio;
using Supervision.Domain.Subcontracts;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.Reports;

namespace Supervision.Portfolio;

/// <summary>
/// One decision an engagement waits for from staff, and what it is about: the report's period, the tier or the
/// incident (none for the selection and the close, which are the engagement's own). A subcontract reported after the
/// fact waits for an acknowledgement only, not an approval.
/// </summary>
public sealed record DecisionWaiting(PendingDecision Kind, string? Subject = null, string? Label = null, bool AcknowledgementOnly = false);

/// <summary>
/// What an engagement waits for from the principal's staff, read from its own rows. The portfolio index keeps the kinds
/// (for "my work today"); the engagement page puts a form on each one.
/// </summary>
public sealed class DecisionsWaiting(ReportStore reports, TierStore tiers, IncidentStore incidents, ClosingStore closing)
{
    /// <summary>The decisions waiting, from the engagement's incidents, reports, tiers and close record as the caller read them (null: read here).</summary>
    public async Task<IReadOnlyList<DecisionWaiting>> ForAsync(
        EngagementRecord engagement,
        IReadOnlyList<IncidentRecord>? incidentRows,
        IReadOnlyList<ReportRecord>? reportRows,
        CancellationToken cancellationToken,
        ClosureView? closure = null,
        IReadOnlyList<TierRecord>? tierRows = null)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        incidentRows ??= await incidents.ListAsync(engagement.EngagementId, cancellationToken);
        reportRows ??= await reports.ListAsync(engagement.EngagementId, cancellationToken);
        tierRows ??= await tiers.ListAsync(engagement.EngagementId, cancellationToken);
        var waiting = new List<DecisionWaiting>();
        if (engagement.Stage == nameof(EngagementStage.UnderReview) && engagement.Decision is null)
            waiting.Add(new(PendingDecision.Selection));
        waiting.AddRange(reportRows
            .Where(report => report.Status == nameof(ReportStatus.Submitted))
            .Select(report => new DecisionWaiting(PendingDecision.ReportReview, report.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{report.PeriodStart} – {report.PeriodEnd}")));
        waiting.AddRange(tierRows
            .Where(tier => tier.AwaitsStaff)
            .Select(tier => new DecisionWaiting(PendingDecision.Subcontract, tier.TierId, tier.CompanyName, tier.CurrentStatus == SubcontractStatus.InForce)));
        waiting.AddRange(incidentRows
            .Where(incident => incident.State == IncidentStates.Open && incident.JudgedBy is null)
            .Select(incident => new DecisionWaiting(PendingDecision.IncidentJudgement, incident.IncidentId)));
        if (engagement.Stage == nameof(EngagementStage.Closing))
        {
            closure ??= await closing.CloseRecordAsync(engagement, cancellationToken);
            waiting.AddRange(closure.Tiers
                .Where(tier => tier.Certificate is { Disposition: nameof(Disposition.Returned), ReceiptAcknowledgedBy: null })
                .Select(tier => new DecisionWaiting(PendingDecision.ReturnReceipt, tier.Tier)));
            if (closure.Missing.Count == 0)
                waiting.Add(new(PendingDecision.Close));
        }

        return waiting;
    }
}
