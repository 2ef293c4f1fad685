using System.Globalization;
using Supervision.Domain.Contracts;
using Supervision.Domain.Reports;
using Supervision.Kernel;

namespace Supervision.Reports;

/// <summary>
/// Period <see cref="Number"/> of an engagement's reports: its calendar dates, when its request goes out and when the
/// answer is due, or <see cref="Done"/> when the contract ended before the period would start.
/// </summary>
public sealed record ReportPlan(string EngagementId, int Number, bool Done, ReportPeriod? Period, DateTime SendAt, DateTimeOffset? DueAt)
{
    /// <summary>What the plan was made from, for the schedule to plan its later periods without reading the contract again.</summary>
    public ReportCalendar? Calendar { get; init; }
}

/// <summary>
/// Everything a period's plan depends on: the contract's reporting frequency and term (fixed once the contract is
/// complete; a contract that ends early stops its schedule instead) and the settings in force when reporting began.
/// </summary>
public sealed record ReportCalendar(ReportFrequency Frequency, DateOnly StartsOn, DateOnly? EndsOn, int GraceDays, TimeSpan? PeriodLength, DateTimeOffset Anchor)
{
    /// <summary>The calendar of a contract that is complete, under today's <paramref name="options"/>.</summary>
    public static ReportCalendar Of(EngagementRecord record, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(options);
        return new ReportCalendar(
            record.Terms()?.Reporting?.Frequency ?? throw new InvalidOperationException($"Engagement {record.EngagementId} has no reporting terms."),
            record.StartsOn() ?? throw new InvalidOperationException($"Engagement {record.EngagementId} has no contract start."),
            record.ContractEndsOn is null ? null : DateOnly.ParseExact(record.ContractEndsOn, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            options.GraceDays,
            options.PeriodLength,
            record.ContractCompletedAt ?? record.CreatedAt);
    }

    public ReportPlan Plan(string engagementId, int number) =>
        ReportPlanning.Plan(engagementId, Frequency, StartsOn, EndsOn, number, GraceDays, PeriodLength, Anchor) with { Calendar = this };
}

/// <summary>When each period's report is requested: the pure part of <see cref="PlanReportPeriod"/>.</summary>
public static class ReportPlanning
{
    /// <summary>
    /// The calendar plan: the request goes out at 00:00 JST on the day after the period ends and is due at the end of the
    /// period's due date in Japan. A last period cut short by the contract's end covers the days up to it. With
    /// <paramref name="periodLength"/> (tests) the request goes out <c>number × periodLength</c> after
    /// <paramref name="anchor"/> and its due time is left to the request's own <c>AnswerWithin</c>.
    /// </summary>
    public static ReportPlan Plan(
        string engagementId,
        ReportFrequency frequency,
        DateOnly startsOn,
        DateOnly? endsOn,
        int number,
        int graceDays,
        TimeSpan? periodLength = null,
        DateTimeOffset anchor = default)
    {
        ReportPeriod period = ReportSchedule.Period(startsOn, frequency, number, graceDays);
        if (endsOn is { } end && period.Start > end)
            return new ReportPlan(engagementId, number, true, null, default, null);
        if (endsOn is { } last && period.End > last)
            period = period with { End = last, DueOn = last.AddDays(graceDays) };

        if (periodLength is { } length)
            return new ReportPlan(engagementId, number, false, period, (anchor + (length * number)).UtcDateTime, null);

        DateTimeOffset sendAt = Domain.Common.JapanCalendar.StartUtc(period.End.AddDays(1));
        return new ReportPlan(engagementId, number, false, period, sendAt.UtcDateTime, ReportSchedule.OverdueFromUtc(period));
    }
}
