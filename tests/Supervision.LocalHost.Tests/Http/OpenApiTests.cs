using System.Net;
using System.Text.Json.Nodes;
using Supervision.Http;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>The API's description is served, as written, to anyone: a client generator or a person needs no sign-in to read it.</summary>
[Collection(SharedAzurite.Http)]
public sealed class OpenApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningLocalHost host = null!;

    public async Task InitializeAsync() => host = await RunningLocalHost.StartAsync(azurite);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task GetOpenApiJson_AnswersTheDocument_WithoutSignIn()
    {
        using HttpClient anonymous = host.Anonymous();

        using HttpResponseMessage response = await anonymous.GetAsync("/" + OpenApiEndpoints.Route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        byte[] served = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(OpenApiEndpoints.ReadDocument(), served);
        JsonObject document = JsonNode.Parse(served)!.AsObject();
        Assert.StartsWith("3.1.", (string?)document["openapi"], StringComparison.Ordinal);
        Assert.NotNull(document["paths"]![$"/{OpenApiEndpoints.Route}"]?["get"]);
    }
}
