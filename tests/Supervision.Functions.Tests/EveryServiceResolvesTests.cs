using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision.Testing;

namespace Supervision.Functions.Tests;

/// <summary>
/// Every service the Functions app registers resolves. Validation on build cannot see through factory registrations;
/// a cycle through one once passed it and hung the host at its first request.
/// </summary>
public sealed class EveryServiceResolvesTests
{
    [Fact]
    public void TheWorkersHost_ResolvesEveryRegisteredService_WithNoCycleAndNoHang()
    {
        // What the Functions host tells the worker it starts (nothing connects until the worker runs).
        FunctionsApplicationBuilder builder = SupervisionFunctionsApp.CreateBuilder(
        [
            "--Supervision:Storage:ConnectionString=UseDevelopmentStorage=true",
            "--Functions:Worker:HostEndpoint=http://127.0.0.1:7199/",
            $"--Functions:Worker:WorkerId={Guid.NewGuid()}",
            $"--Functions:Worker:RequestId={Guid.NewGuid()}",
            "--Functions:Worker:GrpcMaxMessageLength=2147483647",
        ]);
        builder.Environment.EnvironmentName = Environments.Development;
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        EveryService.GuardFactories(builder.Services);
        ServiceDescriptor[] registered = [.. builder.Services];

        using IHost host = builder.Build();
        IReadOnlyList<string> failures = EveryService.ResolveAll(host.Services, registered, TimeSpan.FromSeconds(10));

        Assert.True(EveryService.CountResolvable(registered) > 100, "Too few services were registered to be the whole app.");
        Assert.True(failures.Count == 0, $"{failures.Count} services did not resolve:\n{string.Join('\n', failures)}");
    }
}
