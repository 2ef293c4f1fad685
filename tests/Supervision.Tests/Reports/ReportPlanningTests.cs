using Supervision.Domain.Contracts;
using Supervision.Reports;

namespace Supervision.Tests.Reports;

public sealed class ReportPlanningTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Fact]
    public void Qa_1_6_MonthlyRequest_GoesOutAtMidnightJapanTime_OnTheDayAfterThePeriodEnds()
    {
        ReportPlan plan = ReportPlanning.Plan("e", ReportFrequency.Monthly, D(2027, 1, 31), null, 1, 10);

        Assert.False(plan.Done);
        Assert.Equal(D(2027, 1, 31), plan.Period!.Start);
        Assert.Equal(D(2027, 2, 27), plan.Period.End);
        // 00:00 JST on 28 February is 15:00 UTC on the 27th.
        Assert.Equal(new DateTime(2027, 2, 27, 15, 0, 0, DateTimeKind.Utc), plan.SendAt);
        Assert.Equal(DateTimeKind.Utc, plan.SendAt.Kind);
        // Due at the end of 9 March in Japan: 00:00 JST on the 10th.
        Assert.Equal(D(2027, 3, 9), plan.Period.DueOn);
        Assert.Equal(new DateTimeOffset(2027, 3, 9, 15, 0, 0, TimeSpan.Zero), plan.DueAt);
    }

    [Fact]
    public void Qa_1_6_QuarterlyPeriod4_OfALeapYearContract_EndsOnTheLastDayOfFebruary()
    {
        ReportPlan plan = ReportPlanning.Plan("e", ReportFrequency.Quarterly, D(2027, 3, 1), null, 4, 10);

        Assert.Equal(D(2027, 12, 1), plan.Period!.Start);
        Assert.Equal(D(2028, 2, 29), plan.Period.End);
        Assert.Equal(new DateTime(2028, 2, 29, 15, 0, 0, DateTimeKind.Utc), plan.SendAt);
    }

    [Fact]
    public void Qa_1_6_NoPeriodStartsAfterTheContractEnds_SoTheScheduleIsDone()
    {
        ReportPlan last = ReportPlanning.Plan("e", ReportFrequency.Monthly, D(2027, 1, 1), D(2027, 3, 31), 3, 10);
        ReportPlan after = ReportPlanning.Plan("e", ReportFrequency.Monthly, D(2027, 1, 1), D(2027, 3, 31), 4, 10);

        Assert.False(last.Done);
        Assert.Equal(D(2027, 3, 31), last.Period!.End);
        Assert.True(after.Done);
        Assert.Null(after.Period);
    }

    [Fact]
    public void Qa_1_6_ALastPeriodCutShortByTheContractEnd_CoversTheDaysUpToTheEnd_AndIsRequestedTheDayAfter()
    {
        ReportPlan plan = ReportPlanning.Plan("e", ReportFrequency.Quarterly, D(2027, 1, 1), D(2027, 5, 15), 2, 10);

        Assert.Equal(D(2027, 4, 1), plan.Period!.Start);
        Assert.Equal(D(2027, 5, 15), plan.Period.End);
        Assert.Equal(D(2027, 5, 25), plan.Period.DueOn);
        Assert.Equal(new DateTime(2027, 5, 15, 15, 0, 0, DateTimeKind.Utc), plan.SendAt);
    }

    [Fact]
    public void CompressedPeriods_AreRequestedNPeriodLengthsAfterTheAnchor_WithTheCalendarsPeriodDates()
    {
        var anchor = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ReportPlan calendar = ReportPlanning.Plan("e", ReportFrequency.Monthly, D(2027, 1, 1), D(2027, 3, 31), 2, 10);
        ReportPlan compressed = ReportPlanning.Plan("e", ReportFrequency.Monthly, D(2027, 1, 1), D(2027, 3, 31), 2, 10, TimeSpan.FromSeconds(5), anchor);
        ReportPlan done = ReportPlanning.Plan("e", ReportFrequency.Monthly, D(2027, 1, 1), D(2027, 3, 31), 4, 10, TimeSpan.FromSeconds(5), anchor);

        Assert.Equal(calendar.Period, compressed.Period);
        Assert.Equal(anchor.UtcDateTime.AddSeconds(10), compressed.SendAt);
        Assert.Null(compressed.DueAt);
        Assert.True(done.Done);
    }
}

public sealed class ReportRequestIdTests
{
    [Fact]
    public void RequestId_IsDerivedFromThePeriodsInstanceAndAttempt_SoAReRunEpisodeOpensTheSameRequest()
    {
        string first = ReportPeriodWorkflow.RequestId("e1-report-1", 1);

        Assert.Equal(first, ReportPeriodWorkflow.RequestId("e1-report-1", 1));
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.NotEqual(first, ReportPeriodWorkflow.RequestId("e1-report-1", 2));
        Assert.NotEqual(first, ReportPeriodWorkflow.RequestId("e1-report-2", 1));
        Assert.NotEqual(first, ReportPeriodWorkflow.RequestId("e2-report-1", 1));
    }
}
