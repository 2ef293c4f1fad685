using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Functions.Durable;
using Supervision.Incidents;
using Supervision.Vendors;

namespace Supervision.Functions.Incidents;

/// <summary>Bindings of incidents and their workflow; each hands over to the library.</summary>
public sealed class IncidentFunctions(
    IncidentEndpoints endpoints,
    IncidentResponseEndpoints response,
    IncidentReportPage page,
    PreventionCheckEndpoints prevention,
    IncidentWorkflow workflow,
    NotifyIncident notify,
    PreventionCheckWorkflow preventionWorkflow,
    OpenPreventionCheck openPrevention,
    RecordPreventionCheck recordPrevention)
{
    [Function("ReportIncident")]
    public Task<IResult> ReportIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentEndpoints.CollectionRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.ReportAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("ListIncidents")]
    public Task<IResult> ListIncidents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IncidentEndpoints.CollectionRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.ListAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("GetIncident")]
    public Task<IResult> GetIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IncidentEndpoints.ItemRoute)] HttpRequest request,
        string engagementId,
        string incidentId) =>
        endpoints.GetAsync(request, engagementId, incidentId, request.HttpContext.RequestAborted);

    [Function("ListAllIncidents")]
    public Task<IResult> ListAllIncidents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IncidentEndpoints.OpenRoute)] HttpRequest request) =>
        endpoints.ListAllAsync(request, request.HttpContext.RequestAborted);

    [Function("JudgeIncident")]
    public Task<IResult> JudgeIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentEndpoints.JudgementRoute)] HttpRequest request,
        string engagementId,
        string incidentId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.JudgeAsync(request, engagementId, incidentId, durable, request.HttpContext.RequestAborted);

    [Function("RecordIncidentReport")]
    public Task<IResult> RecordIncidentReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentEndpoints.ReportRoute)] HttpRequest request,
        string engagementId,
        string incidentId,
        string kind,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.RecordReportAsync(request, engagementId, incidentId, kind, durable, request.HttpContext.RequestAborted);

    [Function("RecordIncidentStep")]
    public Task<IResult> RecordIncidentStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentResponseEndpoints.StepRoute)] HttpRequest request,
        string engagementId,
        string incidentId,
        string step,
        [DurableClient] DurableTaskClient durable) =>
        response.RecordStepAsync(request, engagementId, incidentId, step, durable, request.HttpContext.RequestAborted);

    [Function("CloseIncident")]
    public Task<IResult> CloseIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentResponseEndpoints.ClosureRoute)] HttpRequest request,
        string engagementId,
        string incidentId,
        [DurableClient] DurableTaskClient durable) =>
        response.CloseAsync(request, engagementId, incidentId, durable, request.HttpContext.RequestAborted);

    [Function("CoordinateIncident")]
    public Task<IResult> CoordinateIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentResponseEndpoints.CoordinationRoute)] HttpRequest request,
        string engagementId,
        string incidentId,
        [DurableClient] DurableTaskClient durable) =>
        response.CoordinateAsync(request, engagementId, incidentId, durable, request.HttpContext.RequestAborted);

    [Function("RecordIncidentClientAgreement")]
    public Task<IResult> RecordIncidentClientAgreement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentResponseEndpoints.ClientAgreementRoute)] HttpRequest request,
        string engagementId,
        string incidentId,
        [DurableClient] DurableTaskClient durable) =>
        response.RecordClientAgreementAsync(request, engagementId, incidentId, durable, request.HttpContext.RequestAborted);

    [Function("IssueIncidentLink")]
    public Task<IResult> IssueIncidentLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentEndpoints.LinksRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.IssueLinkAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("VendorReportIncident")]
    public Task<IResult> VendorReportIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IncidentReportPage.SubmitRoute)] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable) =>
        page.SubmitAsync(request, token, durable, request.HttpContext.RequestAborted);

    [Function(nameof(IncidentWorkflow))]
    public Task<string> RunIncidentWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<IncidentWorkflowInput>()!);

    [Function(nameof(NotifyIncident))]
    public Task<IncidentSchedule> RunNotifyIncident([ActivityTrigger] IncidentWorkflowInput input, FunctionContext context) =>
        notify.RunAsync(FunctionActivityContext.From(context, nameof(NotifyIncident)), input);

    [Function("RequestPreventionCheck")]
    public Task<IResult> RequestPreventionCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PreventionCheckEndpoints.Route)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        prevention.RequestAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function(nameof(PreventionCheckWorkflow))]
    public Task<string> RunPreventionCheckWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        preventionWorkflow.RunAsync(context, context.GetInput<PreventionCheckInput>()!);

    [Function(nameof(OpenPreventionCheck))]
    public Task<OpenedRequest> RunOpenPreventionCheck([ActivityTrigger] PreventionCheckAnswer input, FunctionContext context) =>
        openPrevention.RunAsync(FunctionActivityContext.From(context, nameof(OpenPreventionCheck)), input);

    [Function(nameof(RecordPreventionCheck))]
    public Task<string?> RunRecordPreventionCheck([ActivityTrigger] PreventionCheckAnswer input, FunctionContext context) =>
        recordPrevention.RunAsync(FunctionActivityContext.From(context, nameof(RecordPreventionCheck)), input);
}
