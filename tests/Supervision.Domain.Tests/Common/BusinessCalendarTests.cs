using Supervision.Domain.Common;

namespace Supervision.Domain.Tests.Common;

public sealed class BusinessCalendarTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Theory]
    [InlineData(2027, 2, 10, 2027, 2, 10)] // a Wednesday stays
    [InlineData(2027, 2, 13, 2027, 2, 15)] // Saturday to Monday
    [InlineData(2027, 5, 3, 2027, 5, 6)] // Constitution, Greenery and Children's Days
    [InlineData(2026, 5, 2, 2026, 5, 7)] // Constitution Day on a Sunday: its substitute on Wednesday 2026-05-06 too
    [InlineData(2026, 12, 29, 2027, 1, 4)] // the year-end closure, then the New Year
    [InlineData(2027, 1, 3, 2027, 1, 4)]
    public void ADateThatIsNoBusinessDay_MovesToTheNextOne(int year, int month, int day, int toYear, int toMonth, int toDay)
    {
        Assert.Equal(D(toYear, toMonth, toDay), BusinessCalendar.Japan.OnOrAfter(D(year, month, day)));
    }

    [Fact]
    public void TheYearEndClosure_IsConfigurable()
    {
        var shorter = new BusinessCalendar(new MonthDay(12, 30), new MonthDay(1, 2));

        Assert.True(shorter.IsBusinessDay(D(2026, 12, 29)));
        Assert.False(shorter.IsBusinessDay(D(2026, 12, 30)));
        Assert.False(BusinessCalendar.Japan.IsBusinessDay(D(2026, 12, 29)));
    }

    [Fact]
    public void AClosureWithinOneYear_CoversOnlyItsDays()
    {
        var obon = new BusinessCalendar(new MonthDay(8, 13), new MonthDay(8, 16));

        Assert.False(obon.IsBusinessDay(D(2027, 8, 13)));
        Assert.True(obon.IsBusinessDay(D(2027, 8, 17)));
        Assert.True(obon.IsBusinessDay(D(2027, 12, 29)));
    }
}
