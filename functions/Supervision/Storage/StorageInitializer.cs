using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Supervision.Storage;

/// <summary>Creates the product's tables at start-up if they are missing (Bicep creates them on Azure; Azurite starts empty).</summary>
public sealed class StorageInitializer(TableServiceClient tables, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string name in TableNames.All)
            await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
        logger.LogInformation("Storage ready: {TableCount} tables", TableNames.All.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
