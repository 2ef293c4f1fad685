using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Contracts;
using Supervision.Pledges;
using Supervision.Reports;
using Supervision.Training;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Vendors;

namespace Supervision.Engagements;

/// <summary>Input of <see cref="EngagementWorkflow"/>; the instance id is the engagement id.</summary>
public sealed record EngagementWorkflowInput(string EngagementId);

/// <summary>
/// One durable workflow per contractor engagement, through its whole life. It records each stage through an
/// activity and waits for people as external events. The selection stage: the contractor is sent the questionnaire,
/// reminded at intervals with a fresh link and, still silent, escalated to the supervisors; the answers are scored and
/// a supervisor approves or rejects. A rejection ends the engagement; an approval asks for the contract, and the
/// engagement is active once the contract is complete.
/// </summary>
public sealed class EngagementWorkflow : TaskOrchestrator<EngagementWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, EngagementWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<EngagementWorkflow>();
        string engagementId = input.EngagementId;

        await MoveAsync(context, engagementId, EngagementStage.SelectionRequested);
        OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(nameof(OpenDueDiligence), new DueDiligenceInput(engagementId));
        logger.LogInformation("Engagement {EngagementId} is waiting for due diligence {RequestId} until {DueAt}", engagementId, opened.RequestId, opened.DueAt);

        await RequestChase.UntilFulfilledAsync(context, opened);

        await context.CallActivityAsync<string>(nameof(ScoreDueDiligence), new DueDiligenceScoring(engagementId, opened.RequestId));
        await MoveAsync(context, engagementId, EngagementStage.UnderReview);
        logger.LogInformation("Engagement {EngagementId} is waiting for a supervisor's selection decision", engagementId);

        SelectionDecided decision = await context.WaitForExternalEvent<SelectionDecided>(nameof(SelectionDecided));
        logger.LogInformation("Engagement {EngagementId} selection decided by {DecidedBy}: approved {Approved}", engagementId, decision.DecidedBy, decision.Approved);
        if (!decision.Approved)
        {
            await MoveAsync(context, engagementId, EngagementStage.Rejected);
            return nameof(EngagementStage.Rejected);
        }

        await MoveAsync(context, engagementId, EngagementStage.ContractRequested);
        await WaitForContractAsync(context, engagementId);
        await MoveAsync(context, engagementId, EngagementStage.Active);
        logger.LogInformation("Engagement {EngagementId}: contract complete, data may be handed over", engagementId);

        // Supervision while the work runs: each duty is a workflow of its own with bounded history (ContinueAsNew).
        await context.CallActivityAsync<bool>(nameof(StartReporting), new ReportingStart(engagementId));
        await context.CallActivityAsync<bool>(nameof(StartPledges), engagementId);
        await context.CallActivityAsync<bool>(nameof(StartTraining), engagementId);
        return nameof(EngagementStage.Active);
    }

    /// <summary>
    /// The contract stage: the contractor is asked, and chased until it answers, for the signed contract and its agreement
    /// to the split of responsibility — asked again if a submission lacks either; staff record the terms and confirm the
    /// clauses meanwhile, and whichever change completes the contract ends the wait.
    /// </summary>
    private static async Task WaitForContractAsync(TaskOrchestrationContext context, string engagementId)
    {
        ContractProgress progress = new(ContractorPartDone: false, Complete: false);
        for (int attempt = 1; !progress.ContractorPartDone; attempt++)
        {
            string requestId = RequestIds.Derive(context.InstanceId, $"contract.{attempt.ToString(CultureInfo.InvariantCulture)}");
            OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(
                nameof(OpenContractRequest), new ContractRequestInput(engagementId, requestId));
            VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, opened);
            progress = await context.CallActivityAsync<ContractProgress>(
                nameof(RecordContractSubmission), new ContractSubmission(engagementId, submitted.RequestId, submitted.LinkId));
        }

        if (!progress.Complete)
            await context.WaitForExternalEvent<ContractCompleted>(nameof(ContractCompleted));
        await context.CallActivityAsync<bool>(nameof(CompleteContract), engagementId);
    }

    private static async Task MoveAsync(TaskOrchestrationContext context, string engagementId, EngagementStage stage)
    {
        await context.CallActivityAsync(nameof(MoveEngagementStage), new StageMove(engagementId, stage, context.CurrentUtcDateTime));
        context.SetCustomStatus(stage.ToString());
    }
}

public sealed record StageMove(string EngagementId, EngagementStage Stage, DateTime At);

/// <summary>
/// Records a stage on the engagement row and in the audit trail; idempotent, so a retried call changes nothing twice.
/// The trail entry is keyed by the stage and appended even when the row had already moved, so a crash between the two
/// writes is healed by the retry instead of leaving the change unrecorded.
/// </summary>
public sealed class MoveEngagementStage(EngagementStore store, AuditLog audit) : TaskActivity<StageMove, EngagementStage>
{
    public override async Task<EngagementStage> RunAsync(TaskActivityContext context, StageMove input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EngagementRecord record = await store.MoveToStageAsync(input.EngagementId, input.Stage, new DateTimeOffset(input.At, TimeSpan.Zero), CancellationToken.None);
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.StageChanged,
            new Dictionary<string, string> { ["stage"] = JsonNamingPolicy.CamelCase.ConvertName(input.Stage.ToString()) },
            CancellationToken.None,
            entryKey: $"stage.{input.Stage}");
        return Enum.Parse<EngagementStage>(record.Stage);
    }
}
