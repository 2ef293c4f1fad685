using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Startup;

/// <summary>
/// Every service the local host registers resolves. Validation on build cannot see through factory registrations;
/// a cycle through one once passed it and hung the host at its first request.
/// </summary>
public sealed class EveryServiceResolvesTests
{
    [Fact]
    public async Task TheLocalHost_ResolvesEveryRegisteredService_WithNoCycleAndNoHang()
    {
        WebApplicationBuilder builder = LocalHostApp.CreateBuilder(
            ["--Azurite:Start=false", "--Supervision:Storage:ConnectionString=UseDevelopmentStorage=true"]);
        builder.Host.UseDefaultServiceProvider(options =>
        {
            options.ValidateOnBuild = true;
            options.ValidateScopes = true;
        });
        EveryService.GuardFactories(builder.Services);
        ServiceDescriptor[] registered = [.. builder.Services];

        await using WebApplication host = LocalHostApp.Build(builder);
        IReadOnlyList<string> failures = EveryService.ResolveAll(host.Services, registered, TimeSpan.FromSeconds(10));

        Assert.True(EveryService.CountResolvable(registered) > 100, "Too few services were registered to be the whole host.");
        Assert.True(failures.Count == 0, $"{failures.Count} services did not resolve:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void ACycleThroughAFactoryRegistration_PassesValidation_ButFailsResolution_NamingTheServices()
    {
        ServiceCollection services = new();
        services.AddSingleton<Chicken>();
        services.AddSingleton<IEgg>(provider => provider.GetRequiredService<Chicken>());
        EveryService.GuardFactories(services);
        ServiceDescriptor[] registered = [.. services];

        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        IReadOnlyList<string> failures = EveryService.ResolveAll(provider, registered, TimeSpan.FromSeconds(10));

        Assert.Equal(2, failures.Count);
        Assert.All(failures, failure => Assert.Contains($"{typeof(IEgg).FullName} -> {typeof(IEgg).FullName}", failure, StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith(typeof(Chicken).FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public void AServiceThatWaitsForever_FailsResolution_NamingTheService_InsteadOfHangingTheTest()
    {
        using ManualResetEventSlim never = new();
        ServiceCollection services = new();
        services.AddSingleton<IEgg>(_ => never.Wait(TimeSpan.FromMinutes(1)) ? new Chicken(null!) : throw new TimeoutException());
        ServiceDescriptor[] registered = [.. services];

        using ServiceProvider provider = services.BuildServiceProvider();
        string failure = Assert.Single(EveryService.ResolveAll(provider, registered, TimeSpan.FromMilliseconds(200)));

        Assert.StartsWith($"{typeof(IEgg).FullName}: not resolved within", failure, StringComparison.Ordinal);
        never.Set();
    }

    public interface IEgg;

    public sealed class Chicken(IEgg egg) : IEgg
    {
        public IEgg Egg { get; } = egg;
    }
}
