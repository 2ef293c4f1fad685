using Supervision.Hosting;
using Supervision.Security;
using Supervision.LocalHost.Azurite;
using Supervision.LocalHost.Engine;
using Supervision.Mail;
using Supervision.Storage;
using Supervision.Sweep;

namespace Supervision.LocalHost;

/// <summary>
/// The whole system on one machine: Azurite, the library's workflows on the local Durable engine, and its HTTP API
/// on 127.0.0.1:7071. Only start-up lives here; everything else is the library, shared with the Functions app.
/// </summary>
public static class LocalHostApp
{
    /// <summary>The outbox folder; relative paths are under the project root.</summary>
    public const string LocalOutbox = ".local/outbox";

    public static WebApplication Create(string[] args) => Build(CreateBuilder(args));

    /// <summary>Every service the local host runs with, registered; the tests build it the same way.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);

        AzuriteOptions azurite = builder.Configuration.GetSection(AzuriteOptions.Section).Get<AzuriteOptions>() ?? new AzuriteOptions();
        if (azurite.Start)
        {
            builder.Services.AddSingleton(provider => new AzuriteServer(azurite, provider.GetRequiredService<ILogger<AzuriteServer>>()));
            builder.Services.AddHostedService<AzuriteHostedService>();
            builder.Configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}"] ??= AzuriteServer.ConnectionStringFor(azurite);
        }

        RefuseRemoteBinding(builder.Configuration);
        LocalDevelopmentSettings.Apply(builder.Configuration);
        // Without a SendGrid key, mail goes to an outbox a person can read: .local/outbox under the project root.
        string outboxSetting = $"{MailOptions.Section}:{nameof(MailOptions.OutboxDirectory)}";
        if (ProjectRoot.TryFind(azurite.ProjectRoot, out string? root))
            builder.Configuration[outboxSetting] = Path.GetFullPath(builder.Configuration[outboxSetting] ?? LocalOutbox, root);

        builder.Services.AddSupervision(builder.Configuration);
        builder.Services.AddSingleton<IStaffIdentitySource, DevelopmentSignIn>();
        builder.Services.AddSingleton<DevelopmentSignInPage>();

        builder.Services.AddLocalDurableEngine(builder.Configuration, registry => registry.AddSupervisionTasks());
        // The Functions app sweeps on a timer trigger; here a scheduled service does, started after the engine.
        builder.Services.AddHostedService<ScheduledSweep>();
        return builder;
    }

    /// <summary>Builds the host and maps its pipeline and the library's routes.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapSupervisionApi();
        app.MapGet("/" + DevelopmentSignInPage.Route, (HttpRequest request, DevelopmentSignInPage page) => page.GetAsync(request))
            .WithName("GetDevelopmentSignIn").WithTags(DevelopmentSignInPage.LocalOnlyTag);
        app.MapPost("/" + DevelopmentSignInPage.Route, (HttpRequest request, DevelopmentSignInPage page, CancellationToken cancellationToken) => page.PostAsync(request, cancellationToken))
            .WithName("SignInForDevelopment").WithTags(DevelopmentSignInPage.LocalOnlyTag);
        return app;
    }

    /// <summary>
    /// The local host has a development sign-in anyone can claim: it listens on loopback only, and answers only
    /// loopback host names (<c>AllowedHosts</c>), unless the operator opts in with <c>LocalHost:AllowRemote=true</c>.
    /// </summary>
    private static void RefuseRemoteBinding(ConfigurationManager configuration)
    {
        if (configuration.GetValue<bool>(AllowRemoteSetting))
            return;
        foreach (string url in (configuration["Urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string host = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
            if (!Uri.TryCreate(host, UriKind.Absolute, out Uri? parsed) || !IsLoopback(parsed.Host))
                throw new InvalidOperationException($"The local host listens on loopback only, not on {url}. Set {AllowRemoteSetting}=true (and AllowedHosts) to expose its development sign-in deliberately.");
        }
    }

    public const string AllowRemoteSetting = "LocalHost:AllowRemote";

    private static bool IsLoopback(string host) =>
        host == "localhost" || (System.Net.IPAddress.TryParse(host, out System.Net.IPAddress? address) && System.Net.IPAddress.IsLoopback(address));
}
