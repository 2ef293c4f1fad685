namespace Supervision.Reports;

/// <summary>Periodic reports (<c>Supervision:Reports</c>).</summary>
public sealed class ReportOptions
{
    public const string Section = "Supervision:Reports";

    /// <summary>Days after a period ends within which its report is due (see <see cref="Domain.Reports.ReportSchedule.DefaultGraceDays"/>).</summary>
    public int GraceDays { get; set; } = Domain.Reports.ReportSchedule.DefaultGraceDays;

    /// <summary>
    /// For tests and the benchmark only: when set, period n is requested <c>n × PeriodLength</c> after the contract became
    /// complete instead of on the day after the period ends, and its answer is due after <c>Supervision:Requests:AnswerWithin</c>.
    /// The periods themselves (numbers, dates, the end of the contract) still come from the calendar.
    /// </summary>
    public TimeSpan? PeriodLength { get; set; }
}
