using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Engagements;
using Supervision.Functions.Durable;
using Supervision.Selection;
using Supervision.Vendors;

namespace Supervision.Functions.Engagements;

/// <summary>Bindings of the engagement workflow and its HTTP API; each hands over to the library.</summary>
public sealed class EngagementFunctions(
    EngagementEndpoints endpoints,
    EngagementWorkflow workflow,
    MoveEngagementStage moveStage,
    ReadEngagementProgress readProgress,
    OpenDueDiligence openDueDiligence,
    ScoreDueDiligence scoreDueDiligence)
{
    [Function("StartEngagement")]
    public Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EngagementEndpoints.CollectionRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.StartAsync(request, durable, request.HttpContext.RequestAborted);

    [Function("GetEngagement")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = EngagementEndpoints.ItemRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.GetAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("DecideSelection")]
    public Task<IResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = EngagementEndpoints.DecisionRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.DecideAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function(nameof(EngagementWorkflow))]
    public Task<string> RunWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<EngagementWorkflowInput>()!);

    [Function(nameof(MoveEngagementStage))]
    public Task<Domain.Engagements.EngagementStage> RunMoveStage([ActivityTrigger] StageMove input, FunctionContext context) =>
        moveStage.RunAsync(FunctionActivityContext.From(context, nameof(MoveEngagementStage)), input);

    [Function(nameof(OpenDueDiligence))]
    public Task<OpenedRequest> RunOpenDueDiligence([ActivityTrigger] DueDiligenceInput input, FunctionContext context) =>
        openDueDiligence.RunAsync(FunctionActivityContext.From(context, nameof(OpenDueDiligence)), input);

    [Function(nameof(ScoreDueDiligence))]
    public Task<string> RunScoreDueDiligence([ActivityTrigger] DueDiligenceScoring input, FunctionContext context) =>
        scoreDueDiligence.RunAsync(FunctionActivityContext.From(context, nameof(ScoreDueDiligence)), input);

    [Function(nameof(ReadEngagementProgress))]
    public Task<EngagementProgress> RunReadProgress([ActivityTrigger] string input, FunctionContext context) =>
        readProgress.RunAsync(FunctionActivityContext.From(context, nameof(ReadEngagementProgress)), input);
}
