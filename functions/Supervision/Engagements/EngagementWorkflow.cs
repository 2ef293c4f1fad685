using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;

namespace Supervision.Engagements;

/// <summary>Input of <see cref="EngagementWorkflow"/>; the instance id is the engagement id.</summary>
public sealed record EngagementWorkflowInput(string EngagementId);

/// <summary>Raised when the contractor has answered the due-diligence questionnaire.</summary>
public sealed record DueDiligenceSubmitted(string SubmissionId);

/// <summary>
/// One durable workflow per contractor engagement, through its whole life. It records each stage through an
/// activity and waits for people as external events. Today it asks for selection and waits for the answer;
/// the selection, contract and supervision stages extend it.
/// </summary>
public sealed class EngagementWorkflow : TaskOrchestrator<EngagementWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, EngagementWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<EngagementWorkflow>();

        await context.CallActivityAsync(
            nameof(MoveEngagementStage),
            new StageMove(input.EngagementId, EngagementStage.SelectionRequested, context.CurrentUtcDateTime));
        context.SetCustomStatus(EngagementStage.SelectionRequested.ToString());
        logger.LogInformation("Engagement {EngagementId} is waiting for due diligence", input.EngagementId);

        DueDiligenceSubmitted submission = await context.WaitForExternalEvent<DueDiligenceSubmitted>(nameof(DueDiligenceSubmitted));
        return submission.SubmissionId;
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
