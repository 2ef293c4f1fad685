using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Sweep;

namespace Supervision.Functions.Sweep;

/// <summary>The daily sweep on a timer; the schedule is the app setting <c>Supervision:Sweep:Schedule</c> (05:00 JST by default, see infra).</summary>
public sealed class SweepFunctions(DailySweep sweep, TimeProvider time)
{
    public const string ScheduleSetting = "%" + SweepOptions.Section + ":Schedule%";

    [Function("DailySweep")]
    public Task<SweepReport> Run(
        [TimerTrigger(ScheduleSetting)] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        FunctionContext context) =>
        sweep.RunAsync(durable, time.GetUtcNow(), context.CancellationToken);
}
