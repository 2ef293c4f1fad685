using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Supervision.Evidence;
using Supervision.Functions.Sweep;
using Supervision.Hosting;
using Supervision.Storage;
using Supervision.Sweep;

namespace Supervision.Functions.Tests;

/// <summary>
/// The Functions app starts as Azure starts it. No Functions host can be installed here, so these tests build the
/// worker's host in process the way the worker does in Development (<c>func start</c> sets it), with service-provider
/// validation on, create every function class as the worker's activator does, and read the function metadata the build
/// generates and the metadata the worker sends the host (worker indexing), which is what the real host indexes.
/// </summary>
public sealed class FunctionsStartupTests
{
    private static readonly Assembly FunctionsAssembly = typeof(SupervisionFunctionsApp).Assembly;

    [Fact]
    public void TheWorkersHost_BuildsWithValidationOnInDevelopment_AndCreatesEveryFunctionClass()
    {
        using IHost host = BuildWorkersHost(generatedMetadata: false);
        using IServiceScope scope = host.Services.CreateScope();
        Type[] functionClasses = FunctionsAssembly.GetTypes()
            .Where(type => type.GetMethods().Any(method => method.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToArray();

        Assert.True(functionClasses.Length > 10, $"Only {functionClasses.Length} function classes were found.");
        Assert.All(functionClasses, type => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type)));
    }

    [Fact]
    public void WithTheSettingsPrivateNetworkingDeploys_UploadsUseTheirOwnAccount_ByTheManagedIdentity()
    {
        // What infra/app/api.bicep sets (Supervision__Storage__*) when privateNetworking is on, by configuration key.
        FunctionsApplicationBuilder builder = SupervisionFunctionsApp.CreateBuilder(
        [
            "--Supervision:Storage:BlobServiceUri=https://stmain.blob.core.windows.net/",
            "--Supervision:Storage:TableServiceUri=https://stmain.table.core.windows.net/",
            "--Supervision:Storage:UploadsBlobServiceUri=https://stupmain.blob.core.windows.net/",
            "--Supervision:Storage:ManagedIdentityClientId=00000000-0000-0000-0000-000000000001",
        ]);
        builder.Environment.EnvironmentName = Environments.Development;

        using IHost host = builder.Build();
        UploadStorage uploads = host.Services.GetRequiredService<UploadStorage>();

        Assert.True(uploads.OwnAccount);
        Assert.Equal("stupmain", uploads.Service.AccountName);
        Assert.Equal("stmain", host.Services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>().AccountName);
        Assert.Equal("https://stupmain.blob.core.windows.net/uploads/", host.Services.GetRequiredService<EvidenceStore>().UploadConnectSource);
    }

    [Fact]
    public void GeneratedMetadata_GivesEveryFunctionOneTrigger_AndEveryHttpFunctionIsAnonymous()
    {
        JsonArray functions = Metadata();

        Assert.Equal(FunctionsAssembly.GetTypes().SelectMany(type => type.GetMethods()).Count(method => method.GetCustomAttribute<FunctionAttribute>() is not null), functions.Count);
        Assert.All(functions, function =>
        {
            JsonObject trigger = Assert.Single(Bindings(function!), binding => ((string)binding["type"]!).EndsWith("Trigger", StringComparison.Ordinal));
            if ((string)trigger["type"]! == "httpTrigger")
                Assert.Equal("Anonymous", (string)trigger["authLevel"]!);
        });
    }

    [Fact]
    public void GeneratedMetadata_HasEveryLocalHostRoute_AsAnHttpFunctionWithItsNameMethodAndRoute_AndNoOther()
    {
        IEnumerable<string> local = LocalHostRoutes.All();

        IEnumerable<string> functions = Metadata()
            .SelectMany(function => Bindings(function!)
                .Where(binding => (string)binding["type"]! == "httpTrigger")
                .SelectMany(trigger => trigger["methods"]!.AsArray()
                    .Select(method => $"{(string)function!["name"]!} {((string)method!).ToUpperInvariant()} /{(string)trigger["route"]!}")));

        Assert.Equal(local.Order(), functions.Order());
    }

    [Fact]
    public void GeneratedMetadata_HasEveryLibraryOrchestratorAndActivity_UnderItsDurableName_AndNoOther()
    {
        JsonArray functions = Metadata();
        string[] Named(string triggerType) => functions
            .Where(function => Bindings(function!).Any(binding => (string)binding["type"]! == triggerType))
            .Select(function => (string)function!["name"]!)
            .Order()
            .ToArray();

        Assert.Equal(SupervisionServices.Orchestrators.Select(type => type.Name).Order(), Named("orchestrationTrigger"));
        Assert.Equal(SupervisionServices.Activities.Select(type => type.Name).Order(), Named("activityTrigger"));
    }

    [Fact]
    public void NoBinding_ReadsAnAppSettingTheHostMustResolve_AndLocalSettingsGiveTheHostnameTheDurableClientNeeds()
    {
        // A %setting% in a binding has no default: where the setting is missing, the host disables the function
        // (docs/decisions/0008). Settings are read by the worker, with defaults of their own.
        string[] referenced = Metadata()
            .SelectMany(function => Bindings(function!).Select(binding => (Function: (string)function!["name"]!, Binding: binding)))
            .SelectMany(bound => bound.Binding
                .Where(property => property.Value?.GetValueKind() == JsonValueKind.String && ((string)property.Value!).Contains('%', StringComparison.Ordinal))
                .Select(property => $"{bound.Function}: {property.Key} = {(string)property.Value!}"))
            .ToArray();
        JsonObject values = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.json")))!["Values"]!.AsObject();

        Assert.Empty(referenced);
        Assert.False(string.IsNullOrWhiteSpace((string?)values["WEBSITE_HOSTNAME"]));
    }

    [Fact]
    public void GeneratedMetadata_GivesTheDailySweepATimer_WithTheDefaultScheduleWrittenOut()
    {
        // What a host indexing functions.metadata itself (worker indexing off) runs the sweep on.
        Assert.Equal(SweepOptions.DefaultSchedule, (string)SweepTimer(Metadata().Single(function => (string)function!["name"]! == SweepFunctions.DailySweepName)!)["schedule"]!);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(true, "")]
    public async Task WithNoSchedule_TheMetadataTheWorkerSendsTheHost_GivesTheSweepTheDefaultSchedule(bool generatedMetadata, string? setting)
    {
        using IHost host = BuildWorkersHost(generatedMetadata, setting is null ? [] : [$"--Supervision:Sweep:Schedule={setting}"]);

        Assert.Equal(SweepOptions.DefaultSchedule, await SentScheduleAsync(host));
    }

    [Theory]
    [InlineData(false, "0 30 21 * * 1-5")]
    [InlineData(true, "0 30 21 * * 1-5")]
    [InlineData(true, "15 20 * * *")]
    public async Task WithASchedule_TheMetadataTheWorkerSendsTheHost_GivesTheSweepThatSchedule(bool generatedMetadata, string setting)
    {
        using IHost host = BuildWorkersHost(generatedMetadata, [$"--Supervision:Sweep:Schedule={setting}"]);

        Assert.Equal(setting, await SentScheduleAsync(host));
    }

    [Theory]
    [InlineData("0 0 25 * * *")]
    [InlineData("daily")]
    [InlineData("1.00:00:00")]
    [InlineData("%Supervision:Sweep:Schedule%")]
    public async Task AScheduleThatIsNotNcrontab_StopsTheWorkerAtStartUp_NamingTheSettingAndTheValue(string setting)
    {
        // The worker's own services need the host's gRPC address to be created, before options are validated;
        // nothing listens there, and a worker that got past validation would fail on it instead.
        using IHost host = BuildWorkersHost(
            generatedMetadata: true,
            [$"--Supervision:Sweep:Schedule={setting}", "--Functions:Worker:HostEndpoint=http://127.0.0.1:9", "--Functions:Worker:WorkerId=test", "--Functions:Worker:RequestId=test"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        OptionsValidationException refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains($"Supervision:Sweep:Schedule is '{setting}'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheScheduleTransformer_FailsLoudly_WhenTheMetadataHasNoSweepTimer()
    {
        using IHost host = BuildWorkersHost(generatedMetadata: true);
        IFunctionMetadataTransformer transformer = Assert.Single(
            host.Services.GetServices<IFunctionMetadataTransformer>(), transformer => transformer is SweepScheduleMetadata);
        List<IFunctionMetadata> withoutTimer =
        [
            new DefaultFunctionMetadata { Name = SweepFunctions.DailySweepName, RawBindings = ["""{"name":"context","type":"activityTrigger","direction":"In"}"""] },
        ];

        Assert.Throws<InvalidOperationException>(() => transformer.Transform(withoutTimer));
        Assert.Throws<InvalidOperationException>(() => transformer.Transform([]));
    }

    /// <summary>
    /// The worker's host as Azure starts it, in Development with validation on. With <paramref name="generatedMetadata"/>
    /// its function metadata comes from the source-generated provider, as in the real worker (whose entry assembly
    /// registers it; a test's entry assembly is the test runner); without, from the provider reading functions.metadata.
    /// </summary>
    private static IHost BuildWorkersHost(bool generatedMetadata, params string[] settings)
    {
        FunctionsApplicationBuilder builder = SupervisionFunctionsApp.CreateBuilder(
            ["--Supervision:Storage:ConnectionString=UseDevelopmentStorage=true", .. settings]);
        builder.Environment.EnvironmentName = Environments.Development;
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        if (generatedMetadata)
            builder.Services.AddSingleton<IFunctionMetadataProvider, GeneratedFunctionMetadataProvider>();
        return builder.Build();
    }

    /// <summary>The sweep timer's schedule in the metadata the worker answers the host's metadata request with.</summary>
    private static async Task<string> SentScheduleAsync(IHost host)
    {
        ImmutableArray<IFunctionMetadata> functions = await host.Services.GetRequiredService<IFunctionMetadataManager>()
            .GetFunctionMetadataAsync(AppContext.BaseDirectory);
        IFunctionMetadata sweep = Assert.Single(functions, function => function.Name == SweepFunctions.DailySweepName);
        JsonObject timer = SweepTimer(new JsonObject { ["bindings"] = new JsonArray([.. sweep.RawBindings!.Select(binding => JsonNode.Parse(binding))]) });
        return (string)timer["schedule"]!;
    }

    private static JsonObject SweepTimer(JsonNode function) => Assert.Single(Bindings(function), binding => (string)binding["type"]! == "timerTrigger");

    private static JsonArray Metadata()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"The build generated no function metadata at {path}.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    private static IEnumerable<JsonObject> Bindings(JsonNode function) => function["bindings"]!.AsArray().Select(binding => binding!.AsObject());
}
