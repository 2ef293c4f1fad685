using Supervision.Domain.Common;

namespace Supervision.Domain.Tests.Common;

public sealed class JapanCalendarMinuteTests
{
    [Fact]
    public void AnInstant_IsShownInJapanTime_ToTheMinute_AcrossTheDateLine()
    {
        Assert.Equal("2027-03-02 08:30", JapanCalendar.Minute(new DateTimeOffset(2027, 3, 1, 23, 30, 59, TimeSpan.Zero)));
        Assert.Null(JapanCalendar.Minute(null));
    }
}
