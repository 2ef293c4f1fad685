using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Functions.Durable;
using Supervision.Inspections;

namespace Supervision.Functions.Inspections;

/// <summary>Bindings of inspections and the chase of their corrective actions.</summary>
public sealed class InspectionFunctions(
    InspectionEndpoints endpoints,
    CorrectiveActionEndpoints closures,
    CorrectiveActionWorkflow workflow,
    OpenCorrectiveActionRequest openRequest,
    RecordCorrectiveActionReport recordReport)
{
    [Function("RecordInspection")]
    public Task<IResult> Record(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = InspectionEndpoints.CollectionRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.RecordAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("ListInspections")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = InspectionEndpoints.CollectionRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.ListAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("RecordInspectionFindings")]
    public Task<IResult> RecordFindings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = InspectionEndpoints.FindingsRoute)] HttpRequest request,
        string engagementId,
        string inspectionId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.RecordFindingsAsync(request, engagementId, inspectionId, durable, request.HttpContext.RequestAborted);

    [Function("CloseCorrectiveAction")]
    public Task<IResult> Close(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CorrectiveActionEndpoints.ClosureRoute)] HttpRequest request,
        string engagementId,
        string inspectionId,
        string actionId,
        [DurableClient] DurableTaskClient durable) =>
        closures.CloseAsync(request, engagementId, inspectionId, actionId, durable, request.HttpContext.RequestAborted);

    [Function(nameof(CorrectiveActionWorkflow))]
    public Task<string> RunWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<CorrectiveActionInput>()!);

    [Function(nameof(OpenCorrectiveActionRequest))]
    public Task<bool> RunOpenRequest([ActivityTrigger] ActionReportRequest input, FunctionContext context) =>
        openRequest.RunAsync(FunctionActivityContext.From(context, nameof(OpenCorrectiveActionRequest)), input);

    [Function(nameof(RecordCorrectiveActionReport))]
    public Task<bool> RunRecordReport([ActivityTrigger] ActionReportRequest input, FunctionContext context) =>
        recordReport.RunAsync(FunctionActivityContext.From(context, nameof(RecordCorrectiveActionReport)), input);
}
