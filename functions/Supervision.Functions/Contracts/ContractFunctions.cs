using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Contracts;
using Supervision.Functions.Durable;
using Supervision.Vendors;

namespace Supervision.Functions.Contracts;

/// <summary>Bindings of the contract stage: staff's terms and clause confirmations, and the stage's activities.</summary>
public sealed class ContractFunctions(
    ContractEndpoints endpoints,
    OpenContractRequest openRequest,
    RecordContractSubmission recordSubmission,
    CompleteContract complete)
{
    [Function("RecordContractTerms")]
    public Task<IResult> RecordTerms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ContractEndpoints.TermsRoute)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.RecordTermsAsync(request, engagementId, durable, request.HttpContext.RequestAborted);

    [Function("ConfirmContractClause")]
    public Task<IResult> ConfirmClause(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ContractEndpoints.ClauseRoute)] HttpRequest request,
        string engagementId,
        string clause,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.ConfirmClauseAsync(request, engagementId, clause, durable, request.HttpContext.RequestAborted);

    [Function(nameof(OpenContractRequest))]
    public Task<OpenedRequest> RunOpenRequest([ActivityTrigger] ContractRequestInput input, FunctionContext context) =>
        openRequest.RunAsync(FunctionActivityContext.From(context, nameof(OpenContractRequest)), input);

    [Function(nameof(RecordContractSubmission))]
    public Task<ContractProgress> RunRecordSubmission([ActivityTrigger] ContractSubmission input, FunctionContext context) =>
        recordSubmission.RunAsync(FunctionActivityContext.From(context, nameof(RecordContractSubmission)), input);

    [Function(nameof(CompleteContract))]
    public Task<bool> RunComplete([ActivityTrigger] string engagementId, FunctionContext context) =>
        complete.RunAsync(FunctionActivityContext.From(context, nameof(CompleteContract)), engagementId);
}
