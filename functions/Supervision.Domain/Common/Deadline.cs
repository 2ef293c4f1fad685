namespace Supervision.Domain.Common;

/// <summary>
/// Overdue arithmetic on calendar dates shared by every tracked obligation: the due day itself is in time, and something done
/// is never overdue, however late it was done.
/// </summary>
public static class Deadline
{
    public static bool IsOverdue(DateOnly dueOn, DateOnly? doneOn, DateOnly today) => doneOn is null && today > dueOn;

    /// <summary>Whole days past <paramref name="dueOn"/> while not done; 0 otherwise.</summary>
    public static int DaysOverdue(DateOnly dueOn, DateOnly? doneOn, DateOnly today) =>
        IsOverdue(dueOn, doneOn, today) ? today.DayNumber - dueOn.DayNumber : 0;

    public static bool WasLate(DateOnly dueOn, DateOnly doneOn) => doneOn > dueOn;
}
