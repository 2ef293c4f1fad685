using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Functions.Durable;
using Supervision.Subcontracts;
using Supervision.Vendors;

namespace Supervision.Functions.Subcontracts;

/// <summary>Bindings of sub-contract approval down the chain and its workflow; each hands over to the library.</summary>
public sealed class SubcontractFunctions(
    SubcontractEndpoints endpoints,
    ChainEndpoints chain,
    SubcontractRequestPage page,
    SubcontractWorkflow workflow,
    OpenSubcontractorDueDiligence openDueDiligence,
    ScoreSubcontractor score)
{
    [Function("RequestSubcontract")]
    public Task<IResult> RequestSubcontract(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = SubcontractEndpoints.CollectionRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.RequestAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("GetChain")]
    public Task<IResult> GetChain(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChainEndpoints.ChainRoute)] HttpRequest request,
        string engagementId) =>
        chain.ChainAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("GetChainPage")]
    public Task<IResult> GetChainPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChainEndpoints.ChainPageRoute)] HttpRequest request,
        string engagementId) =>
        chain.ChainPageAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("DecideSubcontract")]
    public Task<IResult> DecideSubcontract(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = SubcontractEndpoints.DecisionRoute)] HttpRequest request,
        string engagementId,
        string tierId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.DecideAsync(request, engagementId, tierId, durable, request.HttpContext.RequestAborted);

    [Function("AcknowledgeSubcontract")]
    public Task<IResult> AcknowledgeSubcontract(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = SubcontractEndpoints.AcknowledgementRoute)] HttpRequest request,
        string engagementId,
        string tierId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.AcknowledgeAsync(request, engagementId, tierId, durable, request.HttpContext.RequestAborted);

    [Function("SuspendSubcontract")]
    public Task<IResult> SuspendSubcontract(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = SubcontractEndpoints.SuspensionRoute)] HttpRequest request,
        string engagementId,
        string tierId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.SuspendAsync(request, engagementId, tierId, durable, request.HttpContext.RequestAborted);

    [Function("IssueSubcontractLink")]
    public Task<IResult> IssueSubcontractLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = SubcontractEndpoints.LinksRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.IssueLinkAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("VendorRequestSubcontract")]
    public Task<IResult> VendorRequestSubcontract(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = SubcontractRequestPage.SubmitRoute)] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable) =>
        page.SubmitAsync(request, token, durable, request.HttpContext.RequestAborted);

    [Function(nameof(SubcontractWorkflow))]
    public Task<string> RunSubcontractWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflow.RunAsync(context, context.GetInput<SubcontractWorkflowInput>()!);

    [Function(nameof(OpenSubcontractorDueDiligence))]
    public Task<OpenedRequest> RunOpenDueDiligence([ActivityTrigger] TierDueDiligenceInput input, FunctionContext context) =>
        openDueDiligence.RunAsync(FunctionActivityContext.From(context, nameof(OpenSubcontractorDueDiligence)), input);

    [Function(nameof(ScoreSubcontractor))]
    public Task<TierAfterScoring> RunScoreSubcontractor([ActivityTrigger] TierScoring input, FunctionContext context) =>
        score.RunAsync(FunctionActivityContext.From(context, nameof(ScoreSubcontractor)), input);
}
