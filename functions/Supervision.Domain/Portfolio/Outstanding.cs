using System.Globalization;

namespace Supervision.Domain.Portfolio;

/// <summary>What an engagement can be late with, as the portfolio filters it (1-6: supervise continuously).</summary>
public enum OverdueKind
{
    Report,
    Checkout,
    CorrectiveAction,
    Certificate,
    Incident,
    Request,
}

/// <summary>One thing an engagement still owes, and the day it falls due (Japan calendar).</summary>
public sealed record Outstanding(OverdueKind Kind, DateOnly DueOn);

/// <summary>
/// The portfolio's reading of what is outstanding. It keeps due dates, never "overdue" flags, so an index of it changes
/// only when the engagement changes, not when a day passes; lateness is read against today when it is asked.
/// </summary>
public static class Outstandings
{
    /// <summary>The earliest due day of each kind.</summary>
    public static IReadOnlyDictionary<OverdueKind, DateOnly> EarliestByKind(IEnumerable<Outstanding> outstanding)
    {
        ArgumentNullException.ThrowIfNull(outstanding);
        return outstanding.GroupBy(item => item.Kind).ToDictionary(group => group.Key, group => group.Min(item => item.DueOn));
    }

    /// <summary>How many days the oldest of <paramref name="earliestByKind"/> is past due today (0 when nothing is).</summary>
    public static int DaysOverdue(IReadOnlyDictionary<OverdueKind, DateOnly> earliestByKind, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(earliestByKind);
        return earliestByKind.Values.Where(due => today > due).Select(due => today.DayNumber - due.DayNumber).DefaultIfEmpty(0).Max();
    }

    /// <summary>The kinds late today, in the order of <see cref="OverdueKind"/>.</summary>
    public static IReadOnlyList<OverdueKind> OverdueKinds(IReadOnlyDictionary<OverdueKind, DateOnly> earliestByKind, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(earliestByKind);
        return [.. earliestByKind.Where(pair => today > pair.Value).Select(pair => pair.Key).Order()];
    }

    /// <summary>
    /// The key that sorts engagements by days overdue, most first, whatever day it is read: the earliest due day, then
    /// the id. Nothing due sorts last.
    /// </summary>
    public static string SortKey(IReadOnlyDictionary<OverdueKind, DateOnly> earliestByKind, string engagementId)
    {
        ArgumentNullException.ThrowIfNull(earliestByKind);
        DateOnly earliest = earliestByKind.Values.DefaultIfEmpty(DateOnly.MaxValue).Min();
        return $"{earliest.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}|{engagementId}";
    }
}
