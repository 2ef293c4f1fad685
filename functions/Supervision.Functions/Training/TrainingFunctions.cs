using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Functions.Durable;
using Supervision.Kernel;
using Supervision.Training;
using Supervision.Vendors;

namespace Supervision.Functions.Training;

/// <summary>Bindings of the training duty (5-1, 5-2).</summary>
public sealed class TrainingFunctions(
    TrainingEndpoints endpoints,
    TrainingWorkflow workflow,
    EngagementStore store,
    OpenTrainingPlanRequest openPlan,
    RecordTrainingPlan recordPlan,
    OpenTrainingResultRequest openResult,
    RecordTrainingResult recordResult)
{
    [Function("ListTraining")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TrainingEndpoints.Route)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.ListAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function(nameof(TrainingWorkflow))]
    public Task<string> RunWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<TrainingWorkflowInput>()!);

    /// <summary>The client comes from the binding: the Functions app has no <see cref="DurableTaskClient"/> to inject.</summary>
    [Function(nameof(StartTraining))]
    public Task<bool> RunStart([ActivityTrigger] string engagementId, [DurableClient] DurableTaskClient durable) =>
        StartTraining.StartAsync(durable, store, engagementId);

    [Function(nameof(OpenTrainingPlanRequest))]
    public Task<OpenedRequest> RunOpenPlan([ActivityTrigger] DutyRequestInput input, FunctionContext context) =>
        openPlan.RunAsync(FunctionActivityContext.From(context, nameof(OpenTrainingPlanRequest)), input);

    [Function(nameof(RecordTrainingPlan))]
    public Task<TrainingPlanOutcome> RunRecordPlan([ActivityTrigger] DutySubmission input, FunctionContext context) =>
        recordPlan.RunAsync(FunctionActivityContext.From(context, nameof(RecordTrainingPlan)), input);

    [Function(nameof(OpenTrainingResultRequest))]
    public Task<OpenedRequest> RunOpenResult([ActivityTrigger] DutyRequestInput input, FunctionContext context) =>
        openResult.RunAsync(FunctionActivityContext.From(context, nameof(OpenTrainingResultRequest)), input);

    [Function(nameof(RecordTrainingResult))]
    public Task<DutyOutcome> RunRecordResult([ActivityTrigger] DutySubmission input, FunctionContext context) =>
        recordResult.RunAsync(FunctionActivityContext.From(context, nameof(RecordTrainingResult)), input);
}
