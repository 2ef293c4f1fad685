using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision.LocalHost.Engine;
using Supervision.Storage;

namespace Supervision.LocalHost.Tests.Engine;

/// <summary>A bare host running the local Durable engine with the given tasks: what the local host runs, minus HTTP.</summary>
internal static class EngineHost
{
    public static IHost Build(string connectionString, string taskHub, Action<DurableTaskRegistry> tasks, Action<IServiceCollection>? services = null, params string[] args)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Configuration[$"{StorageOptions.Section}:ConnectionString"] = connectionString;
        builder.Configuration[$"{LocalEngineOptions.Section}:TaskHubName"] = taskHub;
        builder.Configuration[$"{LocalEngineOptions.Section}:PartitionCount"] = "1";
        builder.Configuration[$"{LocalEngineOptions.Section}:MaxQueuePollingInterval"] = "00:00:00.5";
        builder.Services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
        services?.Invoke(builder.Services);
        builder.Services.AddLocalDurableEngine(builder.Configuration, tasks);
        return builder.Build();
    }
}
