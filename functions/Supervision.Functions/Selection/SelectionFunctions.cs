using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Supervision.Selection;

namespace Supervision.Functions.Selection;

/// <summary>The selection criteria in force, for staff.</summary>
public sealed class SelectionFunctions(CriteriaEndpoints endpoints)
{
    [Function("GetSelectionCriteria")]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CriteriaEndpoints.Route)] HttpRequest request) =>
        endpoints.Get(request);
}
