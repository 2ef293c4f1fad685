using NCrontab;

namespace Supervision.Sweep;

/// <summary>
/// The sweep's NCRONTAB schedule, in UTC, read as the Functions host's timer trigger reads it (NCrontab.Signed: five
/// fields, or six with seconds first). A time span, which that trigger also takes on dedicated plans, is not accepted:
/// the app runs on Flex Consumption, where only NCRONTAB is.
/// </summary>
public sealed class SweepSchedule
{
    private readonly CrontabSchedule schedule;

    private SweepSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        this.schedule = schedule;
    }

    /// <summary>The expression as given, without surrounding white space.</summary>
    public string Expression { get; }

    public static bool TryParse(string? expression, out SweepSchedule? schedule)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(expression))
            return false;

        string trimmed = expression.Trim();
        bool withSeconds = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5;
        CrontabSchedule? parsed = CrontabSchedule.TryParse(trimmed, new CrontabSchedule.ParseOptions { IncludingSeconds = withSeconds });
        if (parsed is null)
            return false;

        schedule = new SweepSchedule(trimmed, parsed);
        return true;
    }

    public static SweepSchedule Parse(string? expression) =>
        TryParse(expression, out SweepSchedule? schedule)
            ? schedule!
            : throw new FormatException($"'{expression}' is not an NCRONTAB expression.");

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public DateTimeOffset Next(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    public override string ToString() => Expression;
}
