namespace Supervision.Domain.Common;

/// <summary>How something owed is chased: a reminder every <see cref="Interval"/>, <see cref="MaxReminders"/> of them, then one escalation.</summary>
public sealed record ChasePolicy(TimeSpan Interval, int MaxReminders)
{
    public ChasePolicy Validated() =>
        Interval > TimeSpan.Zero && MaxReminders >= 0
            ? this
            : throw new ArgumentOutOfRangeException(nameof(Interval), "A chase needs a positive interval and a non-negative number of reminders.");
}

/// <summary>Where a chase stands: the reminders sent, whether it was escalated, and when its last step was taken.</summary>
public sealed record ChaseProgress(int Reminders = 0, bool Escalated = false, DateTime? LastStepAt = null);

public enum ChaseAction
{
    Remind,
    Escalate,

    /// <summary>Reminded and escalated: nothing is left to do but wait for the thing to be done.</summary>
    Wait,
}

/// <summary>The next step of a chase: what, when (none for <see cref="ChaseAction.Wait"/>), and the reminder's number.</summary>
public sealed record ChaseStep(ChaseAction Action, DateTime? At, int Number);

/// <summary>
/// When a chase takes its next step. The first reminder is due when the thing falls due; every later step one interval
/// after the previous step was actually taken. Counting from the step taken, not from the due date, means that a chase
/// started late (an action recorded with a due date already past) or woken after downtime takes one step at once and
/// the next an interval later: it never sends a burst to catch up on the intervals it missed.
/// </summary>
public static class ChaseSchedule
{
    public static ChaseStep Next(DateTime dueAt, ChaseProgress progress, ChasePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(policy);
        if (progress.Escalated)
            return new ChaseStep(ChaseAction.Wait, null, progress.Reminders);
        DateTime at = progress.LastStepAt is { } last ? last + policy.Interval : dueAt;
        return progress.Reminders < policy.MaxReminders
            ? new ChaseStep(ChaseAction.Remind, at, progress.Reminders + 1)
            : new ChaseStep(ChaseAction.Escalate, at, progress.Reminders);
    }

    /// <summary>The progress after <paramref name="step"/> was taken at <paramref name="takenAt"/>.</summary>
    public static ChaseProgress After(ChaseProgress progress, ChaseStep step, DateTime takenAt)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(step);
        return step.Action switch
        {
            ChaseAction.Remind => progress with { Reminders = step.Number, LastStepAt = takenAt },
            ChaseAction.Escalate => progress with { Escalated = true, LastStepAt = takenAt },
            _ => progress,
        };
    }
}
