using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Health;

namespace Supervision.Functions.Health;

public sealed class HealthFunctions(HealthEndpoints endpoints)
{
    [Function("Health")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthEndpoints.Route)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.GetAsync(durable, request.HttpContext.RequestAborted);
}
