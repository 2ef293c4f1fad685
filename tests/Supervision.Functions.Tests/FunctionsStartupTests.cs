using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision.Evidence;
using Supervision.Hosting;
using Supervision.Storage;

namespace Supervision.Functions.Tests;

/// <summary>
/// The Functions app starts as Azure starts it. No Functions host can be installed here, so these tests build the
/// worker's host in process the way the worker does in Development (<c>func start</c> sets it), with service-provider
/// validation on, create every function class as the worker's activator does, and read the function metadata the build
/// generates, which is what the real host indexes.
/// </summary>
public sealed class FunctionsStartupTests
{
    private static readonly Assembly FunctionsAssembly = typeof(SupervisionFunctionsApp).Assembly;

    [Fact]
    public void TheWorkersHost_BuildsWithValidationOnInDevelopment_AndCreatesEveryFunctionClass()
    {
        FunctionsApplicationBuilder builder = SupervisionFunctionsApp.CreateBuilder(
            ["--Supervision:Storage:ConnectionString=UseDevelopmentStorage=true"]);
        builder.Environment.EnvironmentName = Environments.Development;
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));

        using IHost host = builder.Build();
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
    public void LocalSettingsForFuncStart_NameEverySettingTheTriggersRead_AndTheHostnameTheDurableClientNeeds()
    {
        JsonObject values = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.json")))!["Values"]!.AsObject();
        string[] referenced = Metadata()
            .SelectMany(function => Bindings(function!))
            .SelectMany(binding => binding.Select(property => property.Value?.GetValueKind() == JsonValueKind.String ? (string)property.Value! : string.Empty))
            .Where(value => value.Length > 2 && value.StartsWith('%') && value.EndsWith('%'))
            .Select(value => value[1..^1].Replace(":", "__", StringComparison.Ordinal))
            .ToArray();

        Assert.NotEmpty(referenced);
        Assert.All(referenced, setting => Assert.False(string.IsNullOrWhiteSpace((string?)values[setting]), $"{setting} is not set for func start."));
        Assert.False(string.IsNullOrWhiteSpace((string?)values["WEBSITE_HOSTNAME"]));
    }

    private static JsonArray Metadata()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"The build generated no function metadata at {path}.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    private static IEnumerable<JsonObject> Bindings(JsonNode function) => function["bindings"]!.AsArray().Select(binding => binding!.AsObject());
}
