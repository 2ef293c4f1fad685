using DurableTask.AzureStorage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Storage;

namespace Supervision.LocalHost.Engine;

/// <summary>Owns the one <see cref="AzureStorageOrchestrationService"/> that the local worker and client share.</summary>
public sealed class LocalOrchestrationService(
    IOptions<LocalEngineOptions> engineOptions,
    IOptions<StorageOptions> storageOptions,
    ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private readonly Lazy<AzureStorageOrchestrationService> service = new(() =>
    {
        LocalEngineOptions options = engineOptions.Value;
        string connectionString = options.ConnectionString ?? storageOptions.Value.ConnectionString
            ?? throw new InvalidOperationException($"Set {LocalEngineOptions.Section}:ConnectionString or {StorageOptions.Section}:ConnectionString.");
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = options.TaskHubName,
            WorkerId = options.WorkerId,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = options.VisibilityTimeout,
            ControlQueueVisibilityTimeout = options.VisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            LoggerFactory = loggerFactory,
        });
    });

    public AzureStorageOrchestrationService Service => service.Value;

    /// <summary>Creates the task hub's queues, tables and containers before the worker or an HTTP request needs them.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Service.CreateIfNotExistsAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        if (service.IsValueCreated)
            service.Value.Dispose();
    }
}
