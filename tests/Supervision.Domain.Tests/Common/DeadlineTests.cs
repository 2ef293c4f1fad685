using Supervision.Domain.Common;

namespace Supervision.Domain.Tests.Common;

public sealed class DeadlineTests
{
    private static readonly DateOnly Due = new(2027, 5, 10);

    [Fact]
    public void TheDueDay_IsInTime()
    {
        Assert.False(Deadline.IsOverdue(Due, null, Due));
        Assert.Equal(0, Deadline.DaysOverdue(Due, null, Due));
    }

    [Fact]
    public void TheDayAfter_IsOverdue_ByOneDay()
    {
        Assert.True(Deadline.IsOverdue(Due, null, Due.AddDays(1)));
        Assert.Equal(1, Deadline.DaysOverdue(Due, null, Due.AddDays(1)));
    }

    [Fact]
    public void SomethingDone_IsNeverOverdue_ButALateOneIsLate()
    {
        Assert.False(Deadline.IsOverdue(Due, Due.AddDays(5), Due.AddDays(30)));
        Assert.Equal(0, Deadline.DaysOverdue(Due, Due.AddDays(5), Due.AddDays(30)));
        Assert.True(Deadline.WasLate(Due, Due.AddDays(5)));
        Assert.False(Deadline.WasLate(Due, Due));
    }
}
