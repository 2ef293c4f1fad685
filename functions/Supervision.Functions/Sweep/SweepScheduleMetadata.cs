using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Sweep;

namespace Supervision.Functions.Sweep;

/// <summary>
/// Writes <see cref="SweepOptions.Schedule"/> (the setting, or its default) into the daily sweep's timer binding of the
/// function metadata the worker sends the host, so the host reads a literal NCRONTAB expression and never a
/// <c>%setting%</c> it may not find. The worker applies every transformer to whatever metadata provider it has (the
/// generated one, or the one reading functions.metadata), so neither the provider nor the order of registration
/// matters. The schedule was validated at start-up; a metadata without the sweep's timer is a fault, not skipped.
/// </summary>
public sealed class SweepScheduleMetadata(IOptions<SweepOptions> options, ILogger<SweepScheduleMetadata> logger) : IFunctionMetadataTransformer
{
    public string Name => nameof(SweepScheduleMetadata);

    public void Transform(IList<IFunctionMetadata> original)
    {
        ArgumentNullException.ThrowIfNull(original);
        string schedule = SweepSchedule.Parse(options.Value.Schedule).Expression;

        IFunctionMetadata sweep = original.SingleOrDefault(function => function?.Name == SweepFunctions.DailySweepName)
            ?? throw new InvalidOperationException($"The function metadata has no {SweepFunctions.DailySweepName} to give its schedule to.");
        IList<string> bindings = sweep.RawBindings is { IsReadOnly: false } raw
            ? raw
            : throw new InvalidOperationException($"The bindings of {SweepFunctions.DailySweepName} cannot be changed.");

        int index = -1;
        JsonObject? timer = null;
        for (int i = 0; i < bindings.Count; i++)
        {
            if (JsonNode.Parse(bindings[i]) is JsonObject binding
                && string.Equals((string?)binding["type"], "timerTrigger", StringComparison.OrdinalIgnoreCase))
            {
                (index, timer) = timer is null
                    ? (i, binding)
                    : throw new InvalidOperationException($"{SweepFunctions.DailySweepName} has more than one timer trigger.");
            }
        }

        if (timer is null)
            throw new InvalidOperationException($"{SweepFunctions.DailySweepName} has no timer trigger to give its schedule to.");

        timer["schedule"] = schedule;
        bindings[index] = timer.ToJsonString();
        logger.LogInformation("The daily sweep's timer runs on '{Schedule}' (UTC)", schedule);
    }
}
