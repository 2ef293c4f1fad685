using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Supervision.Engagements;
using Supervision.Health;
using Supervision.Vendors;

namespace Supervision.Hosting;

/// <summary>
/// The HTTP API (under <c>/api</c>) and the vendor pages (under <c>/vendor</c>) as ASP.NET Core endpoints, for the
/// local host. Route constants carry the whole path, and host.json's route prefix is empty, so both hosts serve the
/// same URLs. The Functions app binds the same handlers one
/// <c>[Function]</c> each; a test holds the two route tables equal.
/// </summary>
public static class SupervisionApi
{
    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IEndpointRouteBuilder api = endpoints;
        api.MapPost("/" + EngagementEndpoints.CollectionRoute, (HttpRequest request, DurableTaskClient durable, EngagementEndpoints handler, CancellationToken cancellationToken)
            => handler.StartAsync(request, durable, cancellationToken))
            .WithName("StartEngagement");
        api.MapGet("/" + EngagementEndpoints.ItemRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, EngagementEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, durable, cancellationToken))
            .WithName("GetEngagement");
        api.MapGet("/" + HealthEndpoints.Route, (DurableTaskClient durable, HealthEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(durable, cancellationToken))
            .WithName("Health");
        api.MapGet("/" + VendorEndpoints.PageRoute, (HttpRequest request, string token, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.PageAsync(request, token, cancellationToken))
            .WithName("VendorPage");
        api.MapPost("/" + VendorEndpoints.AnswersRoute, (HttpRequest request, string token, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.AnswerAsync(request, token, cancellationToken))
            .WithName("VendorAnswers");
        api.MapPost("/" + VendorEndpoints.UploadsRoute, (HttpRequest request, string token, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.BeginUploadAsync(request, token, cancellationToken))
            .WithName("VendorBeginUpload");
        api.MapPost("/" + VendorEndpoints.CompleteUploadRoute, (HttpRequest request, string token, string evidenceId, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.CompleteUploadAsync(request, token, evidenceId, cancellationToken))
            .WithName("VendorCompleteUpload");
        api.MapPost("/" + VendorEndpoints.SubmitRoute, (HttpRequest request, string token, DurableTaskClient durable, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.SubmitAsync(request, token, durable, cancellationToken))
            .WithName("VendorSubmit");
        return endpoints;
    }
}
