using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Supervision.LocalHost;
using Supervision.Security;

namespace Supervision.Functions.Tests;

/// <summary>
/// The local host's HTTP routes, as "{endpoint name} {METHOD} /{template}", for comparing the two hosts; without the
/// routes only the local host has (its development sign-in page), which are tagged so.
/// </summary>
internal static class LocalHostRoutes
{
    public static IEnumerable<string> All()
    {
        WebApplication localHost = LocalHostApp.Create(["--Azurite:Start=false", "--Supervision:Storage:ConnectionString=UseDevelopmentStorage=true"]);
        return ((IEndpointRouteBuilder)localHost).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains(DevelopmentSignInPage.LocalOnlyTag) != true)
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(method => $"{endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName} {method} {endpoint.RoutePattern.RawText}"))
            .ToArray();
    }
}
