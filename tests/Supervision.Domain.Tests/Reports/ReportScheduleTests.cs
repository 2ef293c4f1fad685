using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Reports;

namespace Supervision.Domain.Tests.Reports;

public sealed class ReportScheduleTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    public static TheoryData<DateOnly, ReportFrequency> Anchors()
    {
        var data = new TheoryData<DateOnly, ReportFrequency>();
        DateOnly[] starts = [D(2027, 1, 1), D(2027, 1, 15), D(2027, 1, 28), D(2027, 1, 29), D(2027, 1, 30), D(2027, 1, 31), D(2027, 8, 31), D(2028, 2, 29), D(2027, 12, 31)];
        foreach (DateOnly start in starts)
            foreach (ReportFrequency frequency in Enum.GetValues<ReportFrequency>())
                data.Add(start, frequency);
        return data;
    }

    [Theory]
    [MemberData(nameof(Anchors))]
    public void Qa_1_6_Periods1To24_AreContiguous_WithNoGapOrOverlap(DateOnly start, ReportFrequency frequency)
    {
        ReportPeriod first = ReportSchedule.Period(start, frequency, 1);
        Assert.Equal(start, first.Start);

        ReportPeriod previous = first;
        for (int n = 1; n <= 24; n++)
        {
            ReportPeriod period = ReportSchedule.Period(start, frequency, n);
            Assert.Equal(n, period.Number);
            Assert.True(period.End >= period.Start);
            Assert.Equal(BusinessCalendar.Japan.OnOrAfter(period.End.AddDays(ReportSchedule.DefaultGraceDays)), period.DueOn);
            if (n > 1)
                Assert.Equal(previous.End.AddDays(1), period.Start);
            Assert.Equal(start.AddMonths(n * ReportSchedule.MonthsPerPeriod(frequency)).AddDays(-1), period.End);
            previous = period;
        }
    }

    [Fact]
    public void Qa_2_4_Monthly_FromTheFirst_FollowsCalendarMonths()
    {
        ReportPeriod period = ReportSchedule.Period(D(2027, 4, 1), ReportFrequency.Monthly, 2);

        Assert.Equal(new ReportPeriod(2, D(2027, 5, 1), D(2027, 5, 31), D(2027, 6, 10)), period);
    }

    [Fact]
    public void Monthly_FromJanuary31_ClampsToMonthEnds_AndNeverDriftsToThe28th()
    {
        DateOnly start = D(2027, 1, 31);

        Assert.Equal((D(2027, 1, 31), D(2027, 2, 27)), Dates(ReportSchedule.Period(start, ReportFrequency.Monthly, 1)));
        Assert.Equal((D(2027, 2, 28), D(2027, 3, 30)), Dates(ReportSchedule.Period(start, ReportFrequency.Monthly, 2)));
        Assert.Equal((D(2027, 3, 31), D(2027, 4, 29)), Dates(ReportSchedule.Period(start, ReportFrequency.Monthly, 3)));
        Assert.Equal((D(2027, 4, 30), D(2027, 5, 30)), Dates(ReportSchedule.Period(start, ReportFrequency.Monthly, 4)));
        Assert.Equal((D(2027, 5, 31), D(2027, 6, 29)), Dates(ReportSchedule.Period(start, ReportFrequency.Monthly, 5)));
        Assert.Equal(D(2027, 12, 31), ReportSchedule.Period(start, ReportFrequency.Monthly, 12).Start);
    }

    [Fact]
    public void Monthly_FromJanuary31_InALeapYear_StartsTheSecondPeriodOnFebruary29()
    {
        ReportPeriod first = ReportSchedule.Period(D(2028, 1, 31), ReportFrequency.Monthly, 1);
        ReportPeriod second = ReportSchedule.Period(D(2028, 1, 31), ReportFrequency.Monthly, 2);

        Assert.Equal(D(2028, 2, 28), first.End);
        Assert.Equal((D(2028, 2, 29), D(2028, 3, 30)), Dates(second));
    }

    [Fact]
    public void Monthly_FromFebruary29_KeepsThe29th()
    {
        DateOnly start = D(2028, 2, 29);

        Assert.Equal((D(2028, 2, 29), D(2028, 3, 28)), Dates(ReportSchedule.Period(start, ReportFrequency.Monthly, 1)));
        Assert.Equal(D(2028, 3, 29), ReportSchedule.Period(start, ReportFrequency.Monthly, 2).Start);
        Assert.Equal(D(2029, 1, 29), ReportSchedule.Period(start, ReportFrequency.Monthly, 12).Start);
        Assert.Equal((D(2029, 2, 28), D(2029, 3, 28)), Dates(ReportSchedule.Period(start, ReportFrequency.Monthly, 13)));
    }

    [Fact]
    public void Yearly_FromFebruary29_RunsToFebruary27_AndReturnsToThe29thInTheNextLeapYear()
    {
        DateOnly start = D(2028, 2, 29);

        Assert.Equal((D(2028, 2, 29), D(2029, 2, 27)), Dates(ReportSchedule.Period(start, ReportFrequency.Yearly, 1)));
        Assert.Equal((D(2029, 2, 28), D(2030, 2, 27)), Dates(ReportSchedule.Period(start, ReportFrequency.Yearly, 2)));
        Assert.Equal((D(2031, 2, 28), D(2032, 2, 28)), Dates(ReportSchedule.Period(start, ReportFrequency.Yearly, 4)));
        Assert.Equal(D(2032, 2, 29), ReportSchedule.Period(start, ReportFrequency.Yearly, 5).Start);
    }

    [Fact]
    public void Yearly_FromApril1_IsTheJapaneseFiscalYear()
    {
        Assert.Equal(
            new ReportPeriod(1, D(2027, 4, 1), D(2028, 3, 31), D(2028, 4, 10)),
            ReportSchedule.Period(D(2027, 4, 1), ReportFrequency.Yearly, 1));
    }

    [Fact]
    public void Quarterly_FromApril1_FollowsFiscalQuarters_AcrossTheYearEnd()
    {
        DateOnly start = D(2027, 4, 1);

        // Ten days after 2027-06-30 is Saturday 2027-07-10: the report is due on Monday.
        Assert.Equal(new ReportPeriod(1, D(2027, 4, 1), D(2027, 6, 30), D(2027, 7, 12)), ReportSchedule.Period(start, ReportFrequency.Quarterly, 1));
        Assert.Equal((D(2027, 7, 1), D(2027, 9, 30)), Dates(ReportSchedule.Period(start, ReportFrequency.Quarterly, 2)));
        Assert.Equal((D(2027, 10, 1), D(2027, 12, 31)), Dates(ReportSchedule.Period(start, ReportFrequency.Quarterly, 3)));
        Assert.Equal((D(2028, 1, 1), D(2028, 3, 31)), Dates(ReportSchedule.Period(start, ReportFrequency.Quarterly, 4)));
    }

    [Fact]
    public void Quarterly_FromNovember30_ClampsInFebruary()
    {
        DateOnly start = D(2027, 11, 30);

        Assert.Equal((D(2027, 11, 30), D(2028, 2, 28)), Dates(ReportSchedule.Period(start, ReportFrequency.Quarterly, 1)));
        Assert.Equal((D(2028, 2, 29), D(2028, 5, 29)), Dates(ReportSchedule.Period(start, ReportFrequency.Quarterly, 2)));
        Assert.Equal(D(2028, 5, 30), ReportSchedule.Period(start, ReportFrequency.Quarterly, 3).Start);
    }

    [Fact]
    public void HalfYearly_FromOctober1_SplitsAtApril()
    {
        DateOnly start = D(2027, 10, 1);

        Assert.Equal((D(2027, 10, 1), D(2028, 3, 31)), Dates(ReportSchedule.Period(start, ReportFrequency.HalfYearly, 1)));
        Assert.Equal((D(2028, 4, 1), D(2028, 9, 30)), Dates(ReportSchedule.Period(start, ReportFrequency.HalfYearly, 2)));
    }

    [Fact]
    public void HalfYearly_FromAugust31_LandsOnTheLeapDay_AndBack()
    {
        DateOnly start = D(2027, 8, 31);

        Assert.Equal((D(2027, 8, 31), D(2028, 2, 28)), Dates(ReportSchedule.Period(start, ReportFrequency.HalfYearly, 1)));
        Assert.Equal((D(2028, 2, 29), D(2028, 8, 30)), Dates(ReportSchedule.Period(start, ReportFrequency.HalfYearly, 2)));
        Assert.Equal(D(2028, 8, 31), ReportSchedule.Period(start, ReportFrequency.HalfYearly, 3).Start);
    }

    [Fact]
    public void Qa_1_6_AReportDueOnAWeekend_IsDueTheNextBusinessDay()
    {
        // The first quarter ends on 2027-03-31; ten days later is Saturday 2027-04-10.
        Assert.Equal(D(2027, 4, 12), ReportSchedule.Period(D(2027, 1, 1), ReportFrequency.Quarterly, 1).DueOn);
    }

    [Fact]
    public void Qa_1_6_AReportDueInTheYearEndClosure_IsDueWhenWorkResumes()
    {
        // November 2026 ends on the 30th (the month from 2026-11-01); 29 days of grace reach 2026-12-29, in the closure.
        Assert.Equal(D(2027, 1, 4), ReportSchedule.Period(D(2026, 11, 1), ReportFrequency.Monthly, 1, graceDays: 29).DueOn);
    }

    [Fact]
    public void DueOn_UsesTheGraceGiven()
    {
        Assert.Equal(D(2027, 4, 30), ReportSchedule.Period(D(2027, 1, 1), ReportFrequency.Quarterly, 1, graceDays: 30).DueOn);
        Assert.Equal(D(2027, 3, 31), ReportSchedule.Period(D(2027, 1, 1), ReportFrequency.Quarterly, 1, graceDays: 0).DueOn);
    }

    [Theory]
    [InlineData(0, ReportSchedule.DefaultGraceDays)]
    [InlineData(-1, ReportSchedule.DefaultGraceDays)]
    [InlineData(1, -1)]
    [InlineData(1, ReportSchedule.MaxGraceDays + 1)]
    public void Period_RefusesANumberBelow1_OrAGraceOutOfRange(int number, int graceDays)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportSchedule.Period(D(2027, 1, 1), ReportFrequency.Monthly, number, graceDays));
    }

    [Fact]
    public void PeriodContaining_IsNull_BeforeTheContractStarts()
    {
        Assert.Null(ReportSchedule.PeriodContaining(D(2027, 1, 31), ReportFrequency.Monthly, D(2027, 1, 30)));
    }

    [Fact]
    public void PeriodContaining_SwitchesPeriod_OnTheClampedBoundary()
    {
        DateOnly start = D(2027, 1, 31);

        Assert.Equal(1, ReportSchedule.PeriodContaining(start, ReportFrequency.Monthly, D(2027, 2, 27))?.Number);
        Assert.Equal(2, ReportSchedule.PeriodContaining(start, ReportFrequency.Monthly, D(2027, 2, 28))?.Number);
        Assert.Equal(2, ReportSchedule.PeriodContaining(start, ReportFrequency.Monthly, D(2027, 3, 30))?.Number);
        Assert.Equal(3, ReportSchedule.PeriodContaining(start, ReportFrequency.Monthly, D(2027, 3, 31))?.Number);
    }

    [Theory]
    [MemberData(nameof(Anchors))]
    public void PeriodContaining_AgreesWithPeriod_ForEveryDayOfThreeYears(DateOnly start, ReportFrequency frequency)
    {
        for (DateOnly date = start; date < start.AddYears(3); date = date.AddDays(1))
        {
            ReportPeriod? period = ReportSchedule.PeriodContaining(start, frequency, date);

            Assert.NotNull(period);
            Assert.InRange(date, period.Start, period.End);
            Assert.Equal(ReportSchedule.Period(start, frequency, period.Number), period);
        }
    }

    [Fact]
    public void NextDue_BeforeTheStart_AndDuringPeriod1_IsPeriod1()
    {
        DateOnly start = D(2027, 4, 1);

        Assert.Equal(1, ReportSchedule.NextDue(start, ReportFrequency.Monthly, D(2027, 3, 1)).Number);
        Assert.Equal(1, ReportSchedule.NextDue(start, ReportFrequency.Monthly, D(2027, 4, 15)).Number);
    }

    [Fact]
    public void NextDue_StaysOnThePreviousPeriod_ThroughItsDueDay()
    {
        DateOnly start = D(2027, 4, 1);

        Assert.Equal(1, ReportSchedule.NextDue(start, ReportFrequency.Monthly, D(2027, 5, 10)).Number);
        Assert.Equal(2, ReportSchedule.NextDue(start, ReportFrequency.Monthly, D(2027, 5, 11)).Number);
    }

    [Fact]
    public void NextDue_WithALongGrace_GoesBackMoreThanOnePeriod()
    {
        ReportPeriod next = ReportSchedule.NextDue(D(2027, 1, 1), ReportFrequency.Monthly, D(2027, 3, 15), graceDays: 60);

        Assert.Equal(new ReportPeriod(1, D(2027, 1, 1), D(2027, 1, 31), D(2027, 4, 1)), next);
    }

    [Fact]
    public void Qa_1_6_Report_IsNotOverdue_OnItsDueDay_ButIsTheDayAfter()
    {
        ReportPeriod period = ReportSchedule.Period(D(2027, 4, 1), ReportFrequency.Monthly, 1);

        Assert.False(ReportSchedule.IsOverdue(period, null, D(2027, 5, 10)));
        Assert.Equal(0, ReportSchedule.DaysOverdue(period, null, D(2027, 5, 10)));
        Assert.True(ReportSchedule.IsOverdue(period, null, D(2027, 5, 11)));
        Assert.Equal(1, ReportSchedule.DaysOverdue(period, null, D(2027, 5, 11)));
        Assert.Equal(22, ReportSchedule.DaysOverdue(period, null, D(2027, 6, 1)));
    }

    [Fact]
    public void Qa_1_6_SubmittedReport_IsNeverOverdue_EvenIfLate()
    {
        ReportPeriod period = ReportSchedule.Period(D(2027, 4, 1), ReportFrequency.Monthly, 1);

        Assert.False(ReportSchedule.IsOverdue(period, D(2027, 5, 20), D(2027, 6, 1)));
        Assert.Equal(0, ReportSchedule.DaysOverdue(period, D(2027, 5, 20), D(2027, 6, 1)));
    }

    [Fact]
    public void OverdueFromUtc_IsTheEndOfTheDueDayInJapan()
    {
        ReportPeriod period = ReportSchedule.Period(D(2027, 4, 1), ReportFrequency.Monthly, 1);

        Assert.Equal(new DateTimeOffset(2027, 5, 10, 15, 0, 0, TimeSpan.Zero), ReportSchedule.OverdueFromUtc(period));
    }

    private static (DateOnly Start, DateOnly End) Dates(ReportPeriod period) => (period.Start, period.End);
}
