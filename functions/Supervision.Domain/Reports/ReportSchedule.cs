using Supervision.Domain.Common;
using Supervision.Domain.Contracts;

namespace Supervision.Domain.Reports;

/// <summary>
/// One reporting period of a contract (1-6: 定期的な報告): the contractor reports on [<see cref="Start"/>, <see cref="End"/>]
/// by <see cref="DueOn"/>. All dates are Japan calendar dates, inclusive.
/// </summary>
public sealed record ReportPeriod(int Number, DateOnly Start, DateOnly End, DateOnly DueOn);

/// <summary>
/// The periodic reports of 1-6 and 2-4 at the frequency agreed in the contract. Periods are counted in whole months from the
/// contract start; each boundary is computed from the start itself, so a contract starting on 31 January has periods starting
/// 28/29 February, 31 March, 30 April … and never drifts to the 28th.
/// </summary>
public static class ReportSchedule
{
    /// <summary>
    /// Days after a period ends within which its report is due: time to close the period's figures and access-log checks,
    /// the usual "by the 10th of the next month" of monthly reporting.
    /// </summary>
    public const int DefaultGraceDays = 10;

    /// <summary>A report due more than two months after its period is no longer periodic supervision.</summary>
    public const int MaxGraceDays = 60;

    public static int MonthsPerPeriod(ReportFrequency frequency) => frequency switch
    {
        ReportFrequency.Monthly => 1,
        ReportFrequency.Quarterly => 3,
        ReportFrequency.HalfYearly => 6,
        ReportFrequency.Yearly => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "Unknown report frequency."),
    };

    /// <summary>Period <paramref name="number"/> (1-based) of a contract starting on <paramref name="contractStart"/>.</summary>
    public static ReportPeriod Period(DateOnly contractStart, ReportFrequency frequency, int number, int graceDays = DefaultGraceDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(graceDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(graceDays, MaxGraceDays);
        int months = MonthsPerPeriod(frequency);
        DateOnly start = contractStart.AddMonths((number - 1) * months);
        DateOnly end = contractStart.AddMonths(number * months).AddDays(-1);
        // The report is due the grace after the period ends, on a business day: a due date people act on never falls on
        // a weekend, a holiday or the year-end closure.
        return new ReportPeriod(number, start, end, BusinessCalendar.Japan.OnOrAfter(end.AddDays(graceDays)));
    }

    /// <summary>The period whose dates include <paramref name="date"/>; null before the contract starts.</summary>
    public static ReportPeriod? PeriodContaining(DateOnly contractStart, ReportFrequency frequency, DateOnly date, int graceDays = DefaultGraceDays)
    {
        if (date < contractStart)
            return null;

        int elapsedMonths = ((date.Year - contractStart.Year) * 12) + date.Month - contractStart.Month;
        int number = Math.Max(1, (elapsedMonths / MonthsPerPeriod(frequency)) + 1);
        ReportPeriod period = Period(contractStart, frequency, number, graceDays);
        while (period.Start > date)
            period = Period(contractStart, frequency, period.Number - 1, graceDays);
        while (period.End < date)
            period = Period(contractStart, frequency, period.Number + 1, graceDays);
        return period;
    }

    /// <summary>
    /// The earliest period whose report is not yet past due on <paramref name="today"/>: the next deadline. Before the contract
    /// starts that is period 1.
    /// </summary>
    public static ReportPeriod NextDue(DateOnly contractStart, ReportFrequency frequency, DateOnly today, int graceDays = DefaultGraceDays)
    {
        ReportPeriod? current = PeriodContaining(contractStart, frequency, today, graceDays);
        if (current is null)
            return Period(contractStart, frequency, 1, graceDays);
        while (current.Number > 1)
        {
            ReportPeriod previous = Period(contractStart, frequency, current.Number - 1, graceDays);
            if (previous.DueOn < today)
                break;
            current = previous;
        }

        return current;
    }

    /// <summary>Not submitted and past its due date; the due date itself is in time.</summary>
    public static bool IsOverdue(ReportPeriod period, DateOnly? submittedOn, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(period);
        return Deadline.IsOverdue(period.DueOn, submittedOn, today);
    }

    public static int DaysOverdue(ReportPeriod period, DateOnly? submittedOn, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(period);
        return Deadline.DaysOverdue(period.DueOn, submittedOn, today);
    }

    /// <summary>The UTC instant a timer waits for to find the report overdue: the end of its due date in Japan.</summary>
    public static DateTimeOffset OverdueFromUtc(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return JapanCalendar.EndUtc(period.DueOn);
    }
}
