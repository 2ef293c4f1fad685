using System.Globalization;
using Azure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Domain.Audit;
using Supervision.Domain.Closing;
using Supervision.Domain.Engagements;
using Supervision.Engagements;
using Supervision.Kernel;
using Supervision.Pledges;
using Supervision.Reports;
using Supervision.Training;

namespace Supervision.Sweep;

/// <summary>
/// The sweep's visit of one engagement, from its row as the sweep read it: anchors the
/// trail whose head moved, brings trail followers up to date, ends an engagement past its planned end or sends its
/// notice, asks for certificate renewals, and starts again a lost engagement workflow, report schedule or closing
/// workflow; a lost pledge or training workflow is put in the trail and the log for a person.
/// </summary>
public sealed class EngagementSweep(
    AuditLog audit,
    AuditAnchors anchors,
    EngagementEnding ending,
    RenewalSweep renewals,
    IEnumerable<ITrailCatchUp> followers,
    ILogger<EngagementSweep> logger)
{
    public async Task SweepAsync(DurableTaskClient durable, EngagementRecord row, DateTimeOffset now, DateOnly today, SweepTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(tally);
        tally.EngagementsScanned++;
        if (await TryAnchorAsync(row.EngagementId, cancellationToken))
            tally.TrailsAnchored++;
        await CatchUpFollowersAsync(row.EngagementId, tally, cancellationToken);
        if (!Enum.TryParse(row.Stage, out EngagementStage stage) || stage == EngagementStage.Rejected)
            return;
        try
        {
            DateOnly? endsOn = row.ContractEndsOn is { } plannedEnd ? DateOnly.ParseExact(plannedEnd, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
            if (stage == EngagementStage.Active && endsOn is { } end && PlannedEnd.HasPassed(end, today))
            {
                // The contract's planned end has passed: the work ends, and every tier is asked to return or erase.
                if (await ending.EndAsync(row.EngagementId, AuditActors.System, $"planned end {row.ContractEndsOn} passed", durable, cancellationToken))
                    tally.EngagementsEnded.Add(row.EngagementId);
            }
            else if (stage == EngagementStage.Active)
            {
                if (endsOn is { } near && PlannedEnd.NoticeIsDue(near, today, ending.Options.NoticeDays) && await ending.NoticeAsync(row.EngagementId, near, cancellationToken))
                    tally.EndNoticesSent.Add(row.EngagementId);
                await renewals.RequestAsync(durable, row.EngagementId, null, row.Certificates, now, today, tally, cancellationToken);
                if (await RestartScheduleIfLostAsync(durable, row.EngagementId, cancellationToken))
                    tally.ReportSchedulesRestarted.Add(ReportingWorkflow.InstanceId(row.EngagementId));
                await RecordLostDutiesAsync(durable, row.EngagementId, tally.DutyWorkflowsLost, cancellationToken);
            }
            else if (stage == EngagementStage.Closing)
            {
                // The returns of an ended engagement: a lost workflow is started again; it asks only the tiers not yet certified.
                string closingId = ClosingInput.InstanceId(row.EngagementId);
                if (await durable.GetInstanceAsync(closingId, cancellationToken) is not { } closing || LostInstances.IsLost(closing))
                {
                    if (await LostInstances.TryStartAsync(durable, nameof(ClosingWorkflow), new ClosingInput(row.EngagementId), closingId, cancellationToken))
                        tally.EngagementWorkflowsRestarted.Add(closingId);
                }
            }

            if (await RestartEngagementIfLostAsync(durable, row.EngagementId, now, cancellationToken))
                tally.EngagementWorkflowsRestarted.Add(row.EngagementId);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Sweep of engagement {EngagementId} failed", row.EngagementId);
            tally.Failures.Add(row.EngagementId);
        }
    }

    /// <summary>Brings every follower of the trail (the portfolio index) up to the engagement's trail where it fell behind.</summary>
    private async Task CatchUpFollowersAsync(string engagementId, SweepTally tally, CancellationToken cancellationToken)
    {
        try
        {
            foreach (ITrailCatchUp follower in followers)
            {
                if (await follower.CatchUpAsync(engagementId, cancellationToken))
                    tally.FollowersCaughtUp.Add(engagementId);
            }
        }
        catch (RequestFailedException e)
        {
            logger.LogError(e, "Trail followers of engagement {EngagementId} could not catch up", engagementId);
            tally.Failures.Add(engagementId);
        }
    }

    /// <summary>Anchors the engagement's trail where its head moved since the last sweep; a failure is logged and left for tomorrow.</summary>
    private async Task<bool> TryAnchorAsync(string engagementId, CancellationToken cancellationToken)
    {
        try
        {
            return await anchors.AnchorAsync(engagementId, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            logger.LogError(e, "The trail of engagement {EngagementId} could not be anchored", engagementId);
            return false;
        }
    }

    /// <summary>Starts the engagement's workflow again, resuming where the engagement stands, if it is missing, failed or terminated.</summary>
    private async Task<bool> RestartEngagementIfLostAsync(DurableTaskClient durable, string engagementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? previous = await durable.GetInstanceAsync(engagementId, cancellationToken);
        if (previous is not null && !LostInstances.IsLost(previous))
            return false;

        if (!await LostInstances.TryStartAsync(durable, nameof(EngagementWorkflow), new EngagementWorkflowInput(engagementId, Resume: true, ResumedAt: now.UtcTicks), engagementId, cancellationToken))
            return false;
        string status = LostInstances.StatusName(previous);
        var details = new Dictionary<string, string> { ["previousStatus"] = status };
        if (previous is not null)
            details["previousCreatedAt"] = previous.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
        if (previous?.FailureDetails is { } failure)
            details["failure"] = failure.ErrorType;
        // Keyed by the lost instance: two sweeps racing over the same loss record it once.
        await audit.AppendAsync(engagementId, AuditActors.System, AuditActions.EngagementWorkflowRestarted, details, cancellationToken,
            entryKey: $"workflow.restarted.{LostInstances.LossKey(previous)}");
        logger.LogWarning("Engagement {EngagementId}: workflow was {PreviousStatus}, started again", engagementId, status);
        return true;
    }

    /// <summary>
    /// Starts an active engagement's report schedule again from period 1 if it failed or was terminated: each period
    /// already started is found started (its own workflow is left as it is), so the schedule passes over them and waits
    /// for the first period not yet due. A schedule not there yet is the engagement workflow's to start.
    /// </summary>
    private async Task<bool> RestartScheduleIfLostAsync(DurableTaskClient durable, string engagementId, CancellationToken cancellationToken)
    {
        string instanceId = ReportingWorkflow.InstanceId(engagementId);
        OrchestrationMetadata? previous = await durable.GetInstanceAsync(instanceId, cancellationToken);
        if (previous is null || !LostInstances.IsLost(previous))
            return false;
        if (!await LostInstances.TryStartAsync(durable, nameof(ReportingWorkflow), new ReportingInput(engagementId, 1), instanceId, cancellationToken))
            return false;

        string status = LostInstances.StatusName(previous);
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            AuditActions.ReportScheduleRestarted,
            new Dictionary<string, string> { ["instanceId"] = instanceId, ["previousStatus"] = status },
            cancellationToken,
            entryKey: $"reports.restarted.{LostInstances.LossKey(previous)}");
        logger.LogWarning("Engagement {EngagementId}: report schedule was {PreviousStatus}, started again", engagementId, status);
        return true;
    }

    /// <summary>Puts each failed or terminated pledge or training workflow of the engagement in its trail (once per loss) and the log.</summary>
    private async Task RecordLostDutiesAsync(DurableTaskClient durable, string engagementId, List<string> lost, CancellationToken cancellationToken)
    {
        foreach (string instanceId in (string[])[PledgeWorkflowInput.InstanceId(engagementId), TrainingWorkflowInput.InstanceId(engagementId)])
        {
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is not { } previous || !LostInstances.IsLost(previous))
                continue;
            lost.Add(instanceId);
            var details = new Dictionary<string, string> { ["instanceId"] = instanceId, ["status"] = LostInstances.StatusName(previous) };
            if (previous.FailureDetails is { } failure)
                details["failure"] = failure.ErrorType;
            await audit.AppendAsync(engagementId, AuditActors.System, AuditActions.DutyWorkflowLost, details, cancellationToken,
                entryKey: $"duty.lost.{instanceId}.{LostInstances.LossKey(previous)}");
            logger.LogError("Engagement {EngagementId}: duty workflow {InstanceId} is {Status}; it needs a person, it is not started again", engagementId, instanceId, details["status"]);
        }
    }
}
