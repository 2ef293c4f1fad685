using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Durable;

/// <summary>Starts durable instances once: an existing instance of the id is left alone.</summary>
public static class DurableStarts
{
    /// <summary>Schedules <paramref name="orchestrator"/> as <paramref name="instanceId"/> unless it exists; true when this call started it.</summary>
    public static async Task<bool> StartOnceAsync(DurableTaskClient durable, string orchestrator, object input, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        if (await durable.GetInstanceAsync(instanceId, cancellationToken) is not null)
            return false;
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A retry raced an earlier attempt: the loser finds the instance started.
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is null)
                throw;
            return false;
        }
    }

    /// <summary>
    /// Schedules <paramref name="orchestrator"/> as <paramref name="instanceId"/>, an id made just now (a new engagement's):
    /// no instance can have it, so none is looked for first.
    /// </summary>
    public static Task<string> StartNewAsync(DurableTaskClient durable, string orchestrator, object input, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        return durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
    }

    /// <summary>The client an activity starts instances with on the local host; the Functions app passes its binding's instead.</summary>
    public static DurableTaskClient ClientFrom(IServiceProvider services) =>
        services.GetService<DurableTaskClient>()
        ?? throw new InvalidOperationException("No DurableTaskClient is registered: bind one with [DurableClient] and call StartAsync.");
}
