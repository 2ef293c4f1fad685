using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Functions.Durable;
using Supervision.Reports;
using Supervision.Vendors;

namespace Supervision.Functions.Reports;

/// <summary>Bindings of the periodic reports: the schedule, each period's workflow, their activities and the staff API.</summary>
public sealed class ReportFunctions(
    ReportEndpoints endpoints,
    ReportingWorkflow reporting,
    ReportPeriodWorkflow period,
    StartReporting startReporting,
    PlanReportPeriod plan,
    StartReportPeriod startPeriod,
    OpenReportRequest openRequest,
    RecordReportSubmission recordSubmission)
{
    [Function("ListReports")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ReportEndpoints.ListRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.ListAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("ReviewReport")]
    public Task<IResult> Review(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ReportEndpoints.ReviewRoute)] HttpRequest request,
        string engagementId,
        string period,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.ReviewAsync(request, engagementId, period, durable, request.HttpContext.RequestAborted);

    [Function(nameof(ReportingWorkflow))]
    public Task<string> RunReporting([OrchestrationTrigger] TaskOrchestrationContext context) =>
        reporting.RunAsync(context, context.GetInput<ReportingInput>()!);

    [Function(nameof(ReportPeriodWorkflow))]
    public Task<string> RunPeriod([OrchestrationTrigger] TaskOrchestrationContext context) =>
        period.RunAsync(context, context.GetInput<ReportPeriodInput>()!);

    [Function(nameof(StartReporting))]
    public Task<bool> RunStartReporting([ActivityTrigger] ReportingStart input, [DurableClient] DurableTaskClient durable) =>
        startReporting.StartAsync(durable, input);

    [Function(nameof(PlanReportPeriod))]
    public Task<ReportPlan> RunPlan([ActivityTrigger] ReportingInput input, FunctionContext context) =>
        plan.RunAsync(FunctionActivityContext.From(context, nameof(PlanReportPeriod)), input);

    [Function(nameof(StartReportPeriod))]
    public Task<bool> RunStartPeriod([ActivityTrigger] ReportPeriodInput input, [DurableClient] DurableTaskClient durable) =>
        startPeriod.StartAsync(durable, input);

    [Function(nameof(OpenReportRequest))]
    public Task<OpenedRequest> RunOpenRequest([ActivityTrigger] ReportRequestInput input, FunctionContext context) =>
        openRequest.RunAsync(FunctionActivityContext.From(context, nameof(OpenReportRequest)), input);

    [Function(nameof(RecordReportSubmission))]
    public Task<bool> RunRecordSubmission([ActivityTrigger] ReportSubmission input, FunctionContext context) =>
        recordSubmission.RunAsync(FunctionActivityContext.From(context, nameof(RecordReportSubmission)), input);
}
