using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Supervision.Sweep;

/// <summary>
/// How the sweep tells a lost durable instance (missing, failed or terminated) and starts it again without racing a
/// request or another sweep that starts it first.
/// </summary>
public static class LostInstances
{
    private static readonly OrchestrationRuntimeStatus[] Lost = [OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>Failed or terminated: it will never go on by itself (callers say what a missing instance means).</summary>
    public static bool IsLost(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Lost.Contains(instance.RuntimeStatus);
    }

    public static string StatusName(OrchestrationMetadata? instance) =>
        instance is null ? "missing" : JsonNamingPolicy.CamelCase.ConvertName(instance.RuntimeStatus.ToString());

    /// <summary>What tells one loss of an instance from another: when the lost instance was created.</summary>
    public static string LossKey(OrchestrationMetadata? lost) =>
        lost?.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "missing";

    /// <summary>Starts the instance; false when someone else (a request, another sweep) started it first.</summary>
    public static async Task<bool> TryStartAsync<TInput>(DurableTaskClient durable, string orchestrator, TInput input, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is { } now && !IsLost(now))
                return false;
            throw;
        }
    }
}
