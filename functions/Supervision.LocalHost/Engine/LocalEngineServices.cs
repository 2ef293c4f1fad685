using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;

namespace Supervision.LocalHost.Engine;

public static class LocalEngineServices
{
    /// <summary>Registers the local Durable engine: orchestration service, worker running <paramref name="tasks"/>, and client.</summary>
    public static IServiceCollection AddLocalDurableEngine(this IServiceCollection services, IConfiguration configuration, Action<DurableTaskRegistry> tasks)
    {
        services.AddOptions<LocalEngineOptions>().Bind(configuration.GetSection(LocalEngineOptions.Section));
        services.AddSingleton<LocalOrchestrationService>();
        services.AddHostedService(provider => provider.GetRequiredService<LocalOrchestrationService>());
        services.AddSingleton<DurableTaskClient, LocalDurableTaskClient>();
        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(tasks);
            worker.UseBuildTarget<LocalDurableTaskWorker>();
        });
        return services;
    }
}
