using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Supervision.Portfolio;

namespace Supervision.Functions.Portfolio;

/// <summary>Binding of the portfolio; it hands over to the library.</summary>
public sealed class PortfolioFunctions(PortfolioEndpoints endpoints)
{
    [Function("ListPortfolio")]
    public Task<IResult> ListPortfolio(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortfolioEndpoints.Route)] HttpRequest request) =>
        endpoints.ListAsync(request, request.HttpContext.RequestAborted);
}
