namespace Supervision.Domain.Common;

/// <summary>
/// Due dates are calendar days in Japan time (UTC+9, no daylight saving). A day runs from its
/// <see cref="StartUtc"/> (00:00 JST, 15:00 UTC the day before) up to, not including, its <see cref="EndUtc"/>,
/// so a durable timer set to <see cref="EndUtc"/> of a due date fires the moment the request becomes overdue.
/// </summary>
public static class JapanCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    /// <summary>The calendar date in Japan at the instant <paramref name="now"/>.</summary>
    public static DateOnly DateAt(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);

    /// <summary>00:00 JST on <paramref name="date"/>, as a UTC instant.</summary>
    public static DateTimeOffset StartUtc(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    /// <summary>An instant as staff pages show it: Japan time to the minute (<c>2027-03-01 09:30</c>); null stays null.</summary>
    public static string? Minute(DateTimeOffset? at) =>
        at?.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The instant <paramref name="date"/> is over in Japan (00:00 JST the next day), as a UTC instant; exclusive.</summary>
    public static DateTimeOffset EndUtc(DateOnly date) => StartUtc(date).AddDays(1);
}
