using Supervision.Domain.Common;

namespace Supervision.Domain.Tests.Common;

public sealed class JapanCalendarTests
{
    [Fact]
    public void StartUtc_IsMidnightInTokyo_TheDayBeforeAt15Utc()
    {
        DateTimeOffset start = JapanCalendar.StartUtc(new DateOnly(2027, 3, 1));

        Assert.Equal(new DateTimeOffset(2027, 2, 28, 15, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void EndUtc_IsTheStartOfTheNextDay_AtTheYearEnd()
    {
        DateTimeOffset end = JapanCalendar.EndUtc(new DateOnly(2027, 12, 31));

        Assert.Equal(new DateTimeOffset(2027, 12, 31, 15, 0, 0, TimeSpan.Zero), end);
        Assert.Equal(JapanCalendar.StartUtc(new DateOnly(2028, 1, 1)), end);
    }

    [Fact]
    public void EndUtc_OfALeapDay_IsItsOwn15Utc()
    {
        Assert.Equal(new DateTimeOffset(2028, 2, 29, 15, 0, 0, TimeSpan.Zero), JapanCalendar.EndUtc(new DateOnly(2028, 2, 29)));
    }

    [Fact]
    public void DateAt_TurnsOver_At15Utc()
    {
        Assert.Equal(new DateOnly(2027, 2, 14), JapanCalendar.DateAt(new DateTimeOffset(2027, 2, 14, 14, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2027, 2, 15), JapanCalendar.DateAt(new DateTimeOffset(2027, 2, 14, 15, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void DateAt_RoundTripsStartAndEnd()
    {
        var day = new DateOnly(2027, 7, 20);

        Assert.Equal(day, JapanCalendar.DateAt(JapanCalendar.StartUtc(day)));
        Assert.Equal(day, JapanCalendar.DateAt(JapanCalendar.EndUtc(day).AddTicks(-1)));
        Assert.Equal(day.AddDays(1), JapanCalendar.DateAt(JapanCalendar.EndUtc(day)));
    }
}
