using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Common;
using Supervision.Durable;

namespace Supervision.Kernel;

/// <summary>
/// What a chase is about: a <see cref="Kind"/> registered with an <see cref="IChaseSubject"/>, the engagement, and the
/// thing's id (<see cref="Within"/> names what contains it when its id alone does not find it, such as an inspection).
/// </summary>
public sealed record ChaseTarget(string Kind, string EngagementId, string Id, string? Within = null);

/// <summary>
/// One chase as it travels in a workflow's input, across <c>ContinueAsNew</c> too. The policy travels with it, so a change
/// of configuration never changes a running workflow's replay.
/// </summary>
public sealed record Chase(ChaseTarget Target, DateTime DueAt, ChasePolicy Policy, ChaseProgress Progress)
{
    public static Chase Start(ChaseTarget target, DateTime dueAt, ChasePolicy policy) => new(target, dueAt, policy.Validated(), new ChaseProgress());
}

/// <summary>A reminder or escalation to send: the target and the reminder's number (for an escalation, the reminders sent).</summary>
public sealed record ChaseNotice(ChaseTarget Target, int Number);

/// <summary>The chase after one step, and whether it is over: the thing was done, or its subject said nothing is owed any more.</summary>
public sealed record ChaseOutcome(Chase Chase, bool Over);

/// <summary>
/// One kind of thing that is chased: how to remind its owner and how to escalate it. Each does its effect once per
/// notice however often it runs, and answers false when nothing is owed any more (done, withdrawn, gone), which ends the
/// chase. Register one with <see cref="ChaseRegistration.AddChaseSubject{T}"/>.
/// </summary>
public interface IChaseSubject
{
    string Kind { get; }

    Task<bool> RemindAsync(ChaseNotice notice, CancellationToken cancellationToken);

    Task<bool> EscalateAsync(ChaseNotice notice, CancellationToken cancellationToken);
}

/// <summary>
/// The one chase every workflow uses: wait until the next step is due raced against the thing being done, take the
/// step (remind, or escalate once after the last reminder), and stop the moment it is done. The schedule is
/// <see cref="ChaseSchedule"/>'s: counted from the step last taken, so it never catches up after a late start or downtime.
/// A workflow restarted from its history replays the same steps; every step's effect is keyed, so none is repeated.
/// </summary>
public static class Chasing
{
    /// <summary>Takes the chase's next step unless <paramref name="done"/> completes first; cancels the timer it no longer needs.</summary>
    public static async Task<ChaseOutcome> StepAsync(TaskOrchestrationContext context, Chase chase, Task done)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chase);
        ArgumentNullException.ThrowIfNull(done);
        ChaseStep step = ChaseSchedule.Next(chase.DueAt, chase.Progress, chase.Policy);
        if (step.At is not { } at)
        {
            await done;
            return new ChaseOutcome(chase, Over: true);
        }

        using (var cancel = new CancellationTokenSource())
        {
            Task timer = context.CreateTimer(at, cancel.Token);
            if (await Task.WhenAny(done, timer) == done)
            {
                // Synchronously: CancelAsync would continue off the orchestration's thread and stall the replay.
#pragma warning disable CA1849
                cancel.Cancel();
#pragma warning restore CA1849
                return new ChaseOutcome(chase, Over: true);
            }
        }

        string activity = step.Action == ChaseAction.Remind ? nameof(RemindChased) : nameof(EscalateChased);
        bool owed = await context.CallActivityAsync<bool>(activity, new ChaseNotice(chase.Target, step.Number), ActivityRetry.Options);
        Chase next = chase with { Progress = ChaseSchedule.After(chase.Progress, step, context.CurrentUtcDateTime) };
        return new ChaseOutcome(next, Over: !owed);
    }

    /// <summary>Chases until <paramref name="done"/> completes or nothing is owed any more; answers the chase as it ended.</summary>
    public static async Task<Chase> UntilDoneAsync(TaskOrchestrationContext context, Chase chase, Task done)
    {
        ArgumentNullException.ThrowIfNull(done);
        while (!done.IsCompleted)
        {
            ChaseOutcome outcome = await StepAsync(context, chase, done);
            chase = outcome.Chase;
            if (outcome.Over)
                break;
        }

        return chase;
    }
}

/// <summary>The kinds of chase the app knows, by <see cref="IChaseSubject.Kind"/>.</summary>
public sealed class ChaseSubjects(IEnumerable<IChaseSubject> subjects)
{
    private readonly Dictionary<string, IChaseSubject> byKind = subjects.ToDictionary(subject => subject.Kind, StringComparer.Ordinal);

    public IChaseSubject For(ChaseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return byKind.TryGetValue(target.Kind, out IChaseSubject? subject)
            ? subject
            : throw new InvalidOperationException($"No chase subject is registered for kind '{target.Kind}'.");
    }
}

public static class ChaseRegistration
{
    public static IServiceCollection AddChaseSubject<T>(this IServiceCollection services)
        where T : class, IChaseSubject
    {
        services.AddSingleton<T>();
        services.AddSingleton<IChaseSubject>(provider => provider.GetRequiredService<T>());
        return services;
    }
}

/// <summary>Sends one reminder of whatever is chased. Answers whether something is still owed.</summary>
public sealed class RemindChased(ChaseSubjects subjects, ILogger<RemindChased> logger) : TaskActivity<ChaseNotice, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ChaseNotice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool owed = await subjects.For(input.Target).RemindAsync(input, CancellationToken.None);
        logger.LogInformation(
            "Chase of {Kind} {Id} of engagement {EngagementId}: reminder {Number} {Outcome}",
            input.Target.Kind, input.Target.Id, input.Target.EngagementId, input.Number, owed ? "sent" : "not needed");
        return owed;
    }
}

/// <summary>Escalates whatever is chased to the supervisors, once. Answers whether something is still owed.</summary>
public sealed class EscalateChased(ChaseSubjects subjects, ILogger<EscalateChased> logger) : TaskActivity<ChaseNotice, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ChaseNotice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool owed = await subjects.For(input.Target).EscalateAsync(input, CancellationToken.None);
        if (owed)
        {
            logger.LogWarning(
                "Chase of {Kind} {Id} of engagement {EngagementId}: still owed after {Reminders} reminders, escalated",
                input.Target.Kind, input.Target.Id, input.Target.EngagementId, input.Number);
        }

        return owed;
    }
}
