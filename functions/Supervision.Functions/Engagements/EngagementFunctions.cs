using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Engagements;
using Supervision.Functions.Durable;

namespace Supervision.Functions.Engagements;

/// <summary>Bindings of the engagement workflow and its HTTP API; each hands over to the library.</summary>
public sealed class EngagementFunctions(EngagementEndpoints endpoints, EngagementWorkflow workflow, MoveEngagementStage moveStage)
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

    [Function(nameof(EngagementWorkflow))]
    public Task<string> RunWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<EngagementWorkflowInput>()!);

    [Function(nameof(MoveEngagementStage))]
    public Task<Domain.Engagements.EngagementStage> RunMoveStage([ActivityTrigger] StageMove input, FunctionContext context) =>
        moveStage.RunAsync(FunctionActivityContext.From(context, nameof(MoveEngagementStage)), input);
}
