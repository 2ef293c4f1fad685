using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Supervision.LocalHost.Engine;

/// <summary>
/// Runs the library's SDK orchestrators and activities on a Durable Task Framework <see cref="TaskHubWorker"/>,
/// turning each into a Framework object through the SDK's public shims when the Framework asks for it by name.
/// </summary>
public sealed class LocalDurableTaskWorker(
    string name,
    IDurableTaskFactory factory,
    LocalOrchestrationService engine,
    IServiceProvider services,
    IOptionsMonitor<DurableTaskWorkerOptions> workerOptions,
    ILoggerFactory loggerFactory) : DurableTaskWorker(name, factory)
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shims = new DurableTaskShimFactory(workerOptions.Get(Name), loggerFactory);
        var worker = new TaskHubWorker(
            engine.Service,
            new OrchestrationObjects(Factory, services, shims),
            new ActivityObjects(Factory, services, shims),
            loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };

        await worker.StartAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
        finally
        {
            await worker.StopAsync(isForced: true);
        }
    }

    private sealed class OrchestrationObjects(IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims)
        : INameVersionObjectManager<TaskOrchestration>
    {
        public void Add(ObjectCreator<TaskOrchestration> creator) => throw new NotSupportedException("Orchestrators are registered with the DurableTaskRegistry.");

        public TaskOrchestration? GetObject(string name, string? version) =>
            factory.TryCreateOrchestrator(new TaskName(name), services, out ITaskOrchestrator? orchestrator)
                ? shims.CreateOrchestration(new TaskName(name), orchestrator!, parent: null)
                : null;
    }

    private sealed class ActivityObjects(IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims)
        : INameVersionObjectManager<TaskActivity>
    {
        public void Add(ObjectCreator<TaskActivity> creator) => throw new NotSupportedException("Activities are registered with the DurableTaskRegistry.");

        public TaskActivity GetObject(string name, string? version) => new ScopedActivity(new TaskName(name), factory, services, shims);
    }

    /// <summary>The Framework creates activities from the root provider; each run gets its own DI scope instead.</summary>
    private sealed class ScopedActivity(TaskName name, IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims) : TaskActivity
    {
        public override string Run(TaskContext context, string input) => throw new NotSupportedException("Activities run asynchronously.");

        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            if (!factory.TryCreateActivity(name, scope.ServiceProvider, out ITaskActivity? activity))
                throw new InvalidOperationException($"Activity {name} is not registered.");
            return await shims.CreateActivity(name, activity!).RunAsync(context, input);
        }
    }
}
