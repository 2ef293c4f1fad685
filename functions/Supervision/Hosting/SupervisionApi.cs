using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Engagements;
using Supervision.Health;

namespace Supervision.Hosting;

/// <summary>
/// The HTTP API as ASP.NET Core endpoints, for the local host. The Functions app binds the same handlers one
/// <c>[Function]</c> each; a test holds the two route tables equal.
/// </summary>
public static class SupervisionApi
{
    public const string Prefix = "/api";

    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder api = endpoints.MapGroup(Prefix);
        api.MapPost(EngagementEndpoints.CollectionRoute, (HttpRequest request, DurableTaskClient durable, EngagementEndpoints handler, CancellationToken cancellationToken)
            => handler.StartAsync(request, durable, cancellationToken))
            .WithName("StartEngagement");
        api.MapGet(EngagementEndpoints.ItemRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, EngagementEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, durable, cancellationToken))
            .WithName("GetEngagement");
        api.MapGet(AuditEndpoints.ListRoute, (HttpRequest request, string engagementId, AuditEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, engagementId, cancellationToken))
            .WithName("ListAudit");
        api.MapGet(AuditEndpoints.VerificationRoute, (HttpRequest request, string engagementId, AuditEndpoints handler, CancellationToken cancellationToken)
            => handler.VerifyAsync(request, engagementId, cancellationToken))
            .WithName("VerifyAudit");
        api.MapGet(HealthEndpoints.Route, (DurableTaskClient durable, HealthEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(durable, cancellationToken))
            .WithName("Health");
        return endpoints;
    }
}
