using Microsoft.Extensions.Hosting;

namespace Supervision.LocalHost.Azurite;

/// <summary>Starts Azurite before anything touches storage and stops it after everything else has stopped.</summary>
public sealed class AzuriteHostedService(AzuriteServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync();
}
