namespace Supervision.Domain.Closing;

/// <summary>When the work ends by its contract's planned end (2-4), and when the contractor is told ahead of it.</summary>
public static class PlannedEnd
{
    /// <summary>The work has ended once its planned end date has passed (the end date itself is still a working day).</summary>
    public static bool HasPassed(DateOnly endsOn, DateOnly today) => today > endsOn;

    /// <summary>
    /// The contractor is given notice of what it will owe back once the planned end is <paramref name="noticeDays"/> days
    /// away or nearer, and until it passes.
    /// </summary>
    public static bool NoticeIsDue(DateOnly endsOn, DateOnly today, int noticeDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(noticeDays);
        return today >= endsOn.AddDays(-noticeDays) && !HasPassed(endsOn, today);
    }
}
