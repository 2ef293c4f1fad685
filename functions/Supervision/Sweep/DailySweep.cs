using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Common;
using Supervision.Domain.Selection;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Sweep;

/// <summary>
/// The daily sweep: delivers events still owed to workflows, anchors the audit trails whose head moved, starts the chase
/// of renewal evidence of certificates nearing or past expiry (1-5), makes sure every overdue checkout (7-3) is being
/// chased, and starts again any engagement workflow that is missing, failed or terminated, and an active engagement's
/// failed or terminated report schedule (it passes quickly over the periods it already started); a failed or terminated
/// pledge or training workflow is put in the trail and the log for a person. Every step is idempotent, so sweeping twice
/// a day does each thing once; one engagement's failure is reported and does not stop the rest.
/// It visits each engagement of the <see cref="EngagementRegistry"/> once, with one read of its partition (its row and
/// trail's head, its checkouts, tiers and incidents), and never scans a table.
/// </summary>
public sealed class DailySweep(
    TableServiceClient tables,
    EngagementRegistry registry,
    EventOutbox outbox,
    EngagementSweep engagementSweep,
    CheckoutSweep checkoutSweep,
    RenewalSweep renewalSweep,
    IncidentSweep incidentSweep,
    ILogger<DailySweep> logger)
{
    public const string RenewalRequestKind = "certificate-renewal";
    public const string RenewalFiledOnQuestion = "renewalFiledOn";
    public const string RenewedExpiresOnQuestion = "renewedExpiresOn";

    /// <summary>What the sweep reads of each engagement: its row (and, beside it, its trail's head), checkouts, tiers and incidents.</summary>
    private static readonly string[] RowsRead = [EngagementRecord.MainRowKey, CheckoutRecord.Prefix, TierRecord.Prefix, IncidentRecord.Prefix];

    private readonly TableClient engagements = tables.GetTableClient(TableNames.Engagements);

    /// <summary>
    /// The renewal request of one certificate: the same engagement, kind and expiry give the same id, so a repeated sweep
    /// finds the request it opened; a renewed certificate (a new expiry) gets a new one.
    /// </summary>
    public static string RenewalRequestId(string engagementId, Certificate certificate, string? tierId = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string holder = tierId is null ? engagementId : $"{engagementId}|{tierId}";
        string source = $"{holder}|{certificate.Kind}|{certificate.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)).AsSpan(0, 16));
    }

    public async Task<SweepReport> RunAsync(DurableTaskClient durable, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        DateOnly today = JapanCalendar.DateAt(now);
        var tally = new SweepTally();

        // First the events committed and not yet delivered: a workflow waiting on one of them is not lost, only unaware.
        RelayReport events = await outbox.RelayAsync(durable, cancellationToken);

        await foreach (string engagementId in registry.EngagementIdsAsync(cancellationToken))
        {
            try
            {
                await SweepAsync(durable, engagementId, now, today, tally, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Its rows could not be read, or not as what they are: the rest are swept all the same.
                logger.LogError(e, "Engagement {EngagementId} could not be read for the sweep", engagementId);
                tally.Failures.Add(engagementId);
            }
        }

        SweepReport report = tally.Report(today, events);
        logger.LogInformation(
            "Sweep of {Today}: {Engagements} engagements, {Opened} renewal requests opened ({AlreadyOpen} already open), {Overdue} overdue checkouts ({CheckoutsRestarted} chases restarted), {EngagementsRestarted} workflows and {SchedulesRestarted} report schedules restarted, {DutiesLost} duty workflows lost, {TrailsAnchored} trails anchored, {Failures} failures",
            today, report.EngagementsScanned, report.RenewalRequestsOpened.Count, report.RenewalRequestsAlreadyOpen.Count, report.OverdueCheckouts.Count, report.CheckoutWorkflowsRestarted.Count,
            report.EngagementWorkflowsRestarted.Count, report.ReportSchedulesRestarted.Count, report.DutyWorkflowsLost.Count, report.TrailsAnchored, report.Failures.Count);
        return report;
    }

    /// <summary>One engagement, from one read of its partition; each part of the sweep reports its own failures.</summary>
    private async Task SweepAsync(DurableTaskClient durable, string engagementId, DateTimeOffset now, DateOnly today, SweepTally tally, CancellationToken cancellationToken)
    {
        PartitionRows rows = await engagements.ListByPrefixesAsync(engagementId, RowsRead, cancellationToken);
        // Registered by an onboarding whose commit never came: there is nothing to sweep.
        if (rows.Row<EngagementRecord>(EngagementRecord.MainRowKey) is not { } engagement)
            return;
        IReadOnlyList<CheckoutRecord> checkouts = rows.Of<CheckoutRecord>(CheckoutRecord.Prefix);
        IReadOnlyList<TierRecord> tiers = rows.Of<TierRecord>(TierRecord.Prefix);
        IReadOnlyList<IncidentRecord> incidents = rows.Of<IncidentRecord>(IncidentRecord.Prefix);
        await engagementSweep.SweepAsync(durable, engagement, now, today, tally, cancellationToken);
        await checkoutSweep.SweepAsync(durable, checkouts, today, tally, cancellationToken);
        await renewalSweep.SweepTiersAsync(durable, tiers, now, today, tally, cancellationToken);
        await incidentSweep.SweepAsync(durable, incidents, tally, cancellationToken);
    }
}
