using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Durable;
using Supervision.Kernel;

namespace Supervision.Reports;

/// <summary>
/// Input of <see cref="ReportingWorkflow"/>: the engagement and the next period to request, and, after the first
/// generation, the <see cref="ReportCalendar"/> the periods are planned from.
/// </summary>
public sealed record ReportingInput(string EngagementId, int PeriodNumber, ReportCalendar? Calendar = null);

/// <summary>Input of <see cref="StartReporting"/>.</summary>
public sealed record ReportingStart(string EngagementId);

/// <summary>
/// The report schedule of one engagement (1-6, 2-4), instance <c>{engagementId}-reports</c>. For each period it waits until
/// the period is over, starts that period's own <see cref="ReportPeriodWorkflow"/> and continues as new with the next
/// period: the history stays one period long however many years the contract runs, a late report never holds up the
/// next request, and a restart resumes at the period the last generation recorded, so none is skipped or requested twice.
/// Only the first generation reads the contract (<see cref="PlanReportPeriod"/>); it hands the calendar on to the next.
/// </summary>
public sealed class ReportingWorkflow : TaskOrchestrator<ReportingInput, string>
{
    public static string InstanceId(string engagementId) => $"{engagementId}-reports";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, ReportingInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<ReportingWorkflow>();
        ReportPlan plan = input.Calendar is { } calendar
            ? calendar.Plan(input.EngagementId, input.PeriodNumber)
            : await context.CallActivityAsync<ReportPlan>(nameof(PlanReportPeriod), input, ActivityRetry.Options);
        if (plan.Done)
        {
            logger.LogInformation("Engagement {EngagementId} has no report period {Number}: the contract has ended", input.EngagementId, input.PeriodNumber);
            return $"done after period {input.PeriodNumber - 1}";
        }

        context.SetCustomStatus($"period {plan.Number} requested at {plan.SendAt:O}");
        if (plan.SendAt > context.CurrentUtcDateTime)
            await context.CreateTimer(plan.SendAt, CancellationToken.None);

        await context.CallActivityAsync<bool>(nameof(StartReportPeriod), new ReportPeriodInput(input.EngagementId, plan.Number), ActivityRetry.Options);
        context.ContinueAsNew(input with { PeriodNumber = plan.Number + 1, Calendar = plan.Calendar }, preserveUnprocessedEvents: false);
        return $"period {plan.Number} started";
    }
}

/// <summary>Reads the contract on the engagement row and plans the period (<see cref="ReportPlanning"/>).</summary>
public sealed class PlanReportPeriod(EngagementStore store, IOptions<ReportOptions> options) : TaskActivity<ReportingInput, ReportPlan>
{
    public override async Task<ReportPlan> RunAsync(TaskActivityContext context, ReportingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EngagementRecord record = await store.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        return ReportCalendar.Of(record, options.Value).Plan(input.EngagementId, input.PeriodNumber);
    }
}

/// <summary>Starts period n's <see cref="ReportPeriodWorkflow"/> (<c>{engagementId}-report-{n}</c>) unless it exists.</summary>
public sealed class StartReportPeriod(IServiceProvider services, ILogger<StartReportPeriod> logger) : TaskActivity<ReportPeriodInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, ReportPeriodInput input) => StartAsync(DurableStarts.ClientFrom(services), input);

    public async Task<bool> StartAsync(DurableTaskClient durable, ReportPeriodInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string instanceId = ReportPeriodWorkflow.InstanceId(input.EngagementId, input.Number);
        bool started = await DurableStarts.StartOnceAsync(durable, nameof(ReportPeriodWorkflow), input, instanceId, CancellationToken.None);
        if (started)
            logger.LogInformation("Report period {Number} of engagement {EngagementId} started as {InstanceId}", input.Number, input.EngagementId, instanceId);
        return started;
    }
}

/// <summary>Starts the engagement's <see cref="ReportingWorkflow"/> at period 1 unless it exists; called when the contract is complete.</summary>
public sealed class StartReporting(IServiceProvider services, ILogger<StartReporting> logger) : TaskActivity<ReportingStart, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, ReportingStart input) => StartAsync(DurableStarts.ClientFrom(services), input);

    public async Task<bool> StartAsync(DurableTaskClient durable, ReportingStart input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string instanceId = ReportingWorkflow.InstanceId(input.EngagementId);
        bool started = await DurableStarts.StartOnceAsync(durable, nameof(ReportingWorkflow), new ReportingInput(input.EngagementId, 1), instanceId, CancellationToken.None);
        if (started)
            logger.LogInformation("Reporting of engagement {EngagementId} started as {InstanceId}", input.EngagementId, instanceId);
        return started;
    }
}
