using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Closing;
using Supervision.Functions.Durable;
using Supervision.Vendors;

namespace Supervision.Functions.Closing;

/// <summary>Bindings of the end of an engagement and its workflow; each hands over to the library.</summary>
public sealed class ClosingFunctions(
    ClosingEndpoints endpoints, PrincipalReturnEndpoints principal, ClosureBundle bundle, ClosingWorkflow workflow, PlanReturns plan, OpenReturnRequest openRequest, RecordReturnCertificate recordCertificate)
{
    [Function("TerminateEngagement")]
    public Task<IResult> TerminateEngagement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ClosingEndpoints.TerminationRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.TerminateAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("GetClosure")]
    public Task<IResult> GetClosure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ClosingEndpoints.ClosureRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.GetAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("CloseEngagement")]
    public Task<IResult> CloseEngagement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ClosingEndpoints.ClosureRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.CloseAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("RecordKeptData")]
    public Task<IResult> RecordKeptData(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ClosingEndpoints.KeptDataRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.RecordKeptAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("GetClosureBundle")]
    public Task<IResult> GetClosureBundle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ClosureBundle.Route)] HttpRequest request,
        string engagementId) =>
        bundle.GetAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("AcknowledgeReturnReceipt")]
    public Task<IResult> AcknowledgeReturnReceipt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PrincipalReturnEndpoints.ReceiptsRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        principal.AcknowledgeReceiptAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("RecordWitnessedErasure")]
    public Task<IResult> RecordWitnessedErasure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PrincipalReturnEndpoints.WitnessedErasuresRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        principal.RecordWitnessedErasureAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("RecordReverseHandover")]
    public Task<IResult> RecordReverseHandover(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PrincipalReturnEndpoints.ReverseHandoversRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        principal.RecordReverseHandoverAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function(nameof(ClosingWorkflow))]
    public Task<string> RunClosingWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<ClosingInput>()!);

    [Function(nameof(PlanReturns))]
    public Task<IReadOnlyList<string>> RunPlanReturns([ActivityTrigger] ClosingInput input, FunctionContext context) =>
        plan.RunAsync(FunctionActivityContext.From(context, nameof(PlanReturns)), input);

    [Function(nameof(OpenReturnRequest))]
    public Task<OpenedRequest> RunOpenReturnRequest([ActivityTrigger] ReturnRequestInput input, FunctionContext context) =>
        openRequest.RunAsync(FunctionActivityContext.From(context, nameof(OpenReturnRequest)), input);

    [Function(nameof(RecordReturnCertificate))]
    public Task<bool> RunRecordReturnCertificate([ActivityTrigger] ReturnAnswer input, FunctionContext context) =>
        recordCertificate.RunAsync(FunctionActivityContext.From(context, nameof(RecordReturnCertificate)), input);
}
