using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
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

/// <summary>Records a stage on the engagement row; idempotent, so a retried call changes nothing twice.</summary>
public sealed class MoveEngagementStage(EngagementStore store) : TaskActivity<StageMove, EngagementStage>
{
    public override async Task<EngagementStage> RunAsync(TaskActivityContext context, StageMove input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EngagementRecord record = await store.MoveToStageAsync(input.EngagementId, input.Stage, new DateTimeOffset(input.At, TimeSpan.Zero), CancellationToken.None);
        return Enum.Parse<EngagementStage>(record.Stage);
    }
}
