using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Engagements;

namespace Supervision.Functions.Engagements;

/// <summary>The binding of the engagement's supervisor assignment; it hands over to the library.</summary>
public sealed class SupervisorFunctions(SupervisorEndpoints endpoints)
{
    [Function("AssignSupervisor")]
    public Task<IResult> Assign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = SupervisorEndpoints.Route)] HttpRequest request,
        string engagementId,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.AssignAsync(request, engagementId, durable, request.HttpContext.RequestAborted);
}
