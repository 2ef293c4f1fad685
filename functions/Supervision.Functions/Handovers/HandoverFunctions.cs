using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Engagements;
using Supervision.Functions.Durable;
using Supervision.Handovers;
using Supervision.Vendors;

namespace Supervision.Functions.Handovers;

/// <summary>Bindings of the handover ledger, the checkouts and their workflows; each hands over to the library.</summary>
public sealed class HandoverFunctions(
    HandoverEndpoints endpoints,
    CheckoutEndpoints checkouts,
    LedgerCsv ledgerCsv,
    HandoverWorkflow handoverWorkflow,
    CheckoutWorkflow checkoutWorkflow,
    OpenHandoverAcknowledgement openAcknowledgement,
    RecordHandoverAcknowledgement recordAcknowledgement)
{
    [Function("RecordHandover")]
    public Task<IResult> RecordHandover(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoverEndpoints.HandoversRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.RecordHandoverAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("ListHandovers")]
    public Task<IResult> ListHandovers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoverEndpoints.HandoversRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.ListHandoversAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("ExportHandoversCsv")]
    public Task<IResult> ExportHandoversCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = LedgerCsv.Route)] HttpRequest request,
        string engagementId) =>
        ledgerCsv.GetAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("RecordCheckout")]
    public Task<IResult> RecordCheckout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CheckoutEndpoints.CheckoutsRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        checkouts.RecordCheckoutAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("ListCheckouts")]
    public Task<IResult> ListCheckouts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CheckoutEndpoints.CheckoutsRoute)] HttpRequest request,
        string engagementId) =>
        checkouts.ListCheckoutsAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("ReturnCheckout")]
    public Task<IResult> ReturnCheckout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CheckoutEndpoints.ReturnRoute)] HttpRequest request,
        string engagementId,
        string checkoutId,
        [DurableClient] DurableTaskClient durable) =>
        checkouts.ReturnCheckoutAsync(request, engagementId, checkoutId, durable, request.HttpContext.RequestAborted);

    [Function(nameof(HandoverWorkflow))]
    public Task<string> RunHandoverWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        handoverWorkflow.RunAsync(context, context.GetInput<HandoverWorkflowInput>()!);

    [Function(nameof(CheckoutWorkflow))]
    public Task<string> RunCheckoutWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        checkoutWorkflow.RunAsync(context, context.GetInput<CheckoutWorkflowInput>()!);

    [Function(nameof(OpenHandoverAcknowledgement))]
    public Task<OpenedRequest> RunOpenAcknowledgement([ActivityTrigger] HandoverAcknowledgementInput input, FunctionContext context) =>
        openAcknowledgement.RunAsync(FunctionActivityContext.From(context, nameof(OpenHandoverAcknowledgement)), input);

    [Function(nameof(RecordHandoverAcknowledgement))]
    public Task<string> RunRecordAcknowledgement([ActivityTrigger] HandoverAnswerInput input, FunctionContext context) =>
        recordAcknowledgement.RunAsync(FunctionActivityContext.From(context, nameof(RecordHandoverAcknowledgement)), input);
}
