using DurableTask.Core;

namespace Supervision.Benchmarks;

/// <summary>
/// The bare Durable Task Framework doing what one reporting cycle does in orchestrations and activities, with trivial
/// activities: a schedule (two activities, the second starting a period instance, continue as new; then done, as the
/// library's second generation plans from the calendar it was handed, with no activity) and a period instance (one
/// activity, then a wait on a durable timer, as the library's period waits for its contractor with its reminder timer
/// queued).
/// </summary>
internal sealed class BareSchedule : TaskOrchestration<string, int>
{
    public override async Task<string> RunTask(OrchestrationContext context, int input)
    {
        if (input > 1)
            return "done";
        await context.ScheduleTask<string>(typeof(BareNoop), context.OrchestrationInstance.InstanceId);
        await context.ScheduleTask<string>(typeof(BareStartPeriod), context.OrchestrationInstance.InstanceId);
        context.ContinueAsNew(input + 1);
        return "continued";
    }
}

internal sealed class BarePeriod : TaskOrchestration<string, string>
{
    public override async Task<string> RunTask(OrchestrationContext context, string input)
    {
        await context.ScheduleTask<string>(typeof(BareDone), input);
        return await context.CreateTimer(context.CurrentUtcDateTime.AddDays(1), input);
    }
}

internal sealed class BareNoop : AsyncTaskActivity<string, string>
{
    protected override Task<string> ExecuteAsync(TaskContext context, string input) => Task.FromResult(input);
}

internal sealed class BareStartPeriod(TaskHubClient client) : AsyncTaskActivity<string, string>
{
    protected override async Task<string> ExecuteAsync(TaskContext context, string input)
    {
        string instanceId = $"{input}-period-1";
        if (await client.GetOrchestrationStateAsync(instanceId) is null)
            await client.CreateOrchestrationInstanceAsync(typeof(BarePeriod), instanceId, input);
        return instanceId;
    }
}

/// <summary>The period's one activity; counts the cycles that got this far.</summary>
internal sealed class BareDone(Action done) : AsyncTaskActivity<string, string>
{
    protected override Task<string> ExecuteAsync(TaskContext context, string input)
    {
        done();
        return Task.FromResult(input);
    }
}
