using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Supervision.Http;

namespace Supervision.Functions.Http;

public sealed class OpenApiFunctions(OpenApiEndpoints endpoints)
{
    [Function("OpenApi")]
    public IResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpenApiEndpoints.Route)] HttpRequest request) =>
        endpoints.Get();
}
