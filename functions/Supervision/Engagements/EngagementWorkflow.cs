using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
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
/// a supervisor approves or rejects. A rejection ends the engagement; an approval asks for the contract.
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
        EngagementStage next = decision.Approved ? EngagementStage.ContractRequested : EngagementStage.Rejected;
        await MoveAsync(context, engagementId, next);
        logger.LogInformation("Engagement {EngagementId} selection decided by {DecidedBy}: {Stage}", engagementId, decision.DecidedBy, next);
        return next.ToString();
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
