using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Security;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>The local host as the README starts it, on a free loopback port, with storage from the shared Azurite.</summary>
public sealed class RunningLocalHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningLocalHost(WebApplication app, Uri address)
    {
        this.app = app;
        Http = new HttpClient { BaseAddress = address };
        Http.DefaultRequestHeaders.Add(DevelopmentSignIn.UserHeader, "test-procurement");
        Http.DefaultRequestHeaders.Add(DevelopmentSignIn.RolesHeader, "procurement");
    }

    /// <summary>A client with no staff identity; tests add the development sign-in headers they need.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = Http.BaseAddress };

    /// <summary>
    /// Every route the local host serves as the Functions app does, as "METHOD /template": without its development
    /// sign-in page, which only it has (tested in StaffFormsBrowserTests).
    /// </summary>
    public IEnumerable<string> Routes() => ((IEndpointRouteBuilder)app).DataSources
        .SelectMany(source => source.Endpoints)
        .OfType<RouteEndpoint>()
        .Where(endpoint => endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains(DevelopmentSignInPage.LocalOnlyTag) != true)
        .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(method => $"{method} {endpoint.RoutePattern.RawText}") ?? []);

    public HttpClient Http { get; }

    public DurableTaskClient Durable => app.Services.GetRequiredService<DurableTaskClient>();

    public TableClient Engagements => app.Services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Engagements);

    /// <summary>A client signed in (development sign-in) as <paramref name="user"/> with <paramref name="roles"/>, e.g. <c>supervisor,auditor</c>.</summary>
    public HttpClient As(string user, string roles)
    {
        HttpClient client = Anonymous();
        client.DefaultRequestHeaders.Add(DevelopmentSignIn.UserHeader, user);
        client.DefaultRequestHeaders.Add(DevelopmentSignIn.RolesHeader, roles);
        return client;
    }

    public IServiceProvider Services => app.Services;

    public Uri Address => Http.BaseAddress!;

    public static async Task<RunningLocalHost> StartAsync(AzuriteFixture azurite, params string[] settings)
    {
        WebApplication app = LocalHostApp.Create(
        [
            "--urls=http://127.0.0.1:0",
            "--Azurite:Start=false",
            $"--Supervision:Storage:ConnectionString={azurite.ConnectionString}",
            $"--LocalEngine:TaskHubName={AzuriteFixture.NewTaskHub()}",
            "--LocalEngine:PartitionCount=1",
            "--LocalEngine:MaxQueuePollingInterval=00:00:00.5",
            "--Logging:LogLevel:Default=Warning",
            // Tables are shared by every test of the run: a host sweeping them all at start-up would act on other tests' rows.
            "--Supervision:Sweep:Enabled=false",
            .. settings,
        ]);
        await app.StartAsync();
        return new RunningLocalHost(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
