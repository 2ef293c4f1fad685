using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Closing;
using Supervision.Domain.Engagements;
using Supervision.Durable;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Closing;

/// <summary>How an engagement's end is run (<c>Supervision:Closing</c>).</summary>
public sealed class ClosingOptions
{
    public const string Section = "Supervision:Closing";

    /// <summary>How many days before the planned end the contractor is told what it will owe back (0: on the last day only).</summary>
    public int NoticeDays { get; set; } = 30;

    /// <summary>How long a closed engagement's records and evidence are kept, read-only, from the day it closed.</summary>
    public int RetentionYears { get; set; } = 5;
}

/// <summary>Ends an engagement's work (its planned end, found by the sweep, or a supervisor's termination), once; and gives notice ahead of the planned end.</summary>
public sealed class EngagementEnding(
    EngagementStore engagements,
    ClosingStore store,
    VendorRequests requests,
    IDutyWorkflows duties,
    RequestMail mail,
    AuditLog audit,
    IOptions<ClosingOptions> options,
    TimeProvider time,
    ILogger<EngagementEnding> logger)
{
    public ClosingOptions Options => options.Value;

    /// <summary>Moves an active engagement to closing and starts the returns; answers false when it is not active (nor already closing).</summary>
    public async Task<bool> EndAsync(string engagementId, string actor, string reason, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        // One write: the stage and the entry that records the end. Already closing, it was ended with its entry before.
        EngagementRecord row = await engagements.UpdateAsync(engagementId, record =>
        {
            if (record.Stage != nameof(EngagementStage.Active))
                return null;
            record.Stage = nameof(EngagementStage.Closing);
            record.StageChangedAt = time.GetUtcNow();
            record.EndedBy = actor;
            record.EndReason = reason;
            return new TrailEntry(actor, AuditActions.EngagementEnded, new Dictionary<string, string> { ["reason"] = reason }, "engagement.ended");
        }, cancellationToken);
        if (row.Stage != nameof(EngagementStage.Closing))
            return false;
        // No reminder for work that no longer exists: every request but the return and incidents is withdrawn.
        await requests.WithdrawForTheEndAsync(engagementId, AuditActors.System, cancellationToken);
        IReadOnlyList<string> stopped = await duties.StopAsync(engagementId, durable, cancellationToken);
        if (stopped.Count > 0)
            logger.LogInformation("Engagement {EngagementId} ended: {Count} duty workflows stopped", engagementId, stopped.Count);
        await DurableStarts.StartOnceAsync(durable, nameof(ClosingWorkflow), new ClosingInput(engagementId), ClosingInput.InstanceId(engagementId), cancellationToken);
        logger.LogInformation("Engagement {EngagementId} ended by {Actor}: every tier is asked to return or erase", engagementId, row.EndedBy);
        return true;
    }

    /// <summary>
    /// Tells the contractor, once, ahead of the planned end <paramref name="endsOn"/>, what it and its subcontractors hold
    /// and will owe back (read from the ledger), and how much paper or media is still out. Answers whether it was sent now.
    /// </summary>
    public async Task<bool> NoticeAsync(string engagementId, DateOnly endsOn, CancellationToken cancellationToken)
    {
        string key = $"{engagementId}.end-notice";
        if (await mail.AlreadySentAsync(engagementId, key))
            return false;
        (_, OnboardingRequest onboarding) = await mail.ReadAsync(engagementId);
        (IReadOnlyList<TierReturn> owed, _, IReadOnlyList<TierRecord> chain) = await store.OwedAsync(engagementId, cancellationToken);
        string Organisation(string tier) => chain.FirstOrDefault(row => row.TierId == tier)?.CompanyName ?? onboarding.Contractor.Name;
        string[] lines = [.. Returns.BottomUp(owed).Reverse().Where(tier => tier.Owed.Count > 0).Select(tier =>
            $"{Organisation(tier.Tier)}: {string.Join(", ", tier.Owed.Select(holding => $"{holding.DataItem} ({holding.Records.ToString("N0", CultureInfo.InvariantCulture)})"))}")];
        int checkoutsOut = await store.CheckoutsOutAsync(engagementId, cancellationToken);
        string endsOnText = endsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // The trail entry first (once, by its key): a crash before the mail leaves the notice to the next sweep, not unrecorded.
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            AuditActions.EndNoticeSent,
            new Dictionary<string, string> { ["endsOn"] = endsOnText, ["holdings"] = string.Join("; ", lines), ["checkoutsOut"] = checkoutsOut.ToString(CultureInfo.InvariantCulture) },
            cancellationToken,
            entryKey: "engagement.end-notice");
        await mail.MailContactAsync(
            MailTemplates.EndNotice,
            engagementId,
            onboarding,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["endsOn"] = endsOnText,
                ["holdings"] = lines.Length > 0 ? string.Join('\n', lines) : "-",
                ["checkoutsOut"] = checkoutsOut.ToString(CultureInfo.InvariantCulture),
            },
            key);
        return true;
    }
}
