using PublicHoliday;

namespace Supervision.Domain.Common;

/// <summary>A day of the year, such as the first day of the year-end closure.</summary>
public readonly record struct MonthDay(int Month, int Day)
{
    public static MonthDay Of(DateOnly date) => new(date.Month, date.Day);

    public bool IsAfterOrOn(MonthDay other) => Month > other.Month || (Month == other.Month && Day >= other.Day);
}

/// <summary>
/// The days a Japanese business works: not Saturday or Sunday, not a national holiday (computed by PublicHoliday's
/// <c>JapanPublicHoliday</c>, substitute holidays included), and not within the year-end closure (12/29 to 1/3 unless
/// told otherwise). A date people act on that falls on any other day moves to the next business day. Statutory deadlines
/// counted in calendar days (the regulator's 30 and 60 days) do not use it.
/// </summary>
public sealed class BusinessCalendar(MonthDay closureStart, MonthDay closureEnd)
{
    private static readonly JapanPublicHoliday Holidays = new();

    public static BusinessCalendar Japan { get; } = new(new MonthDay(12, 29), new MonthDay(1, 3));

    public bool IsBusinessDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !Holidays.IsPublicHoliday(date.ToDateTime(TimeOnly.MinValue))
        && !InClosure(date);

    /// <summary><paramref name="date"/> if it is a business day, else the next one.</summary>
    public DateOnly OnOrAfter(DateOnly date)
    {
        while (!IsBusinessDay(date))
            date = date.AddDays(1);
        return date;
    }

    private bool InClosure(DateOnly date)
    {
        MonthDay day = MonthDay.Of(date);
        // A closure over the turn of the year (12/29 to 1/3) is two ranges: from its start to the year's end, and from the
        // year's start to its end.
        bool overTheTurnOfTheYear = closureStart.IsAfterOrOn(closureEnd);
        return overTheTurnOfTheYear
            ? day.IsAfterOrOn(closureStart) || closureEnd.IsAfterOrOn(day)
            : day.IsAfterOrOn(closureStart) && closureEnd.IsAfterOrOn(day);
    }
}
