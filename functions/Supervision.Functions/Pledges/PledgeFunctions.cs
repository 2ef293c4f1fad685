using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Functions.Durable;
using Supervision.Kernel;
using Supervision.Pledges;
using Supervision.Vendors;

namespace Supervision.Functions.Pledges;

/// <summary>Bindings of the confidentiality-pledge duty (4-1 … 4-3).</summary>
public sealed class PledgeFunctions(
    PledgeEndpoints endpoints,
    PledgeWorkflow workflow,
    EngagementStore store,
    OpenPledgeRequest openRequest,
    RecordPledgeAttestation record)
{
    [Function("ListPledges")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PledgeEndpoints.Route)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.ListAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function(nameof(PledgeWorkflow))]
    public Task<string> RunWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<PledgeWorkflowInput>()!);

    /// <summary>The client comes from the binding: the Functions app has no <see cref="DurableTaskClient"/> to inject.</summary>
    [Function(nameof(StartPledges))]
    public Task<bool> RunStart([ActivityTrigger] string engagementId, [DurableClient] DurableTaskClient durable) =>
        StartPledges.StartAsync(durable, store, engagementId);

    [Function(nameof(OpenPledgeRequest))]
    public Task<OpenedRequest> RunOpenRequest([ActivityTrigger] DutyRequestInput input, FunctionContext context) =>
        openRequest.RunAsync(FunctionActivityContext.From(context, nameof(OpenPledgeRequest)), input);

    [Function(nameof(RecordPledgeAttestation))]
    public Task<DutyOutcome> RunRecord([ActivityTrigger] DutySubmission input, FunctionContext context) =>
        record.RunAsync(FunctionActivityContext.From(context, nameof(RecordPledgeAttestation)), input);
}
