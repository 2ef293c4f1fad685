using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Supervision.Reports;

/// <summary>The status of one period's report, as the staff API shows it.</summary>
public enum ReportStatus
{
    Requested,
    Submitted,
    Accepted,
    SentBack,
}

/// <summary>One reporting period of an engagement, in <see cref="Storage.TableNames.Engagements"/> with RowKey <c>report|{n:D4}</c>.</summary>
public sealed class ReportRecord : ITableEntity
{
    public const string KeyPrefix = "report|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Number { get; set; }

    /// <summary>The period's Japan calendar dates (yyyy-MM-dd), inclusive, and the day its report is due.</summary>
    public string PeriodStart { get; set; } = string.Empty;

    public string PeriodEnd { get; set; } = string.Empty;

    public string DueOn { get; set; } = string.Empty;

    /// <summary>When the current request's answer is due (the end of <see cref="DueOn"/> in Japan, or compressed in tests).</summary>
    public DateTimeOffset? DueAt { get; set; }

    public string Status { get; set; } = nameof(ReportStatus.Requested);

    /// <summary>1 for the first request of the period, one more for each send-back.</summary>
    public int Attempt { get; set; }

    public string RequestId { get; set; } = string.Empty;

    /// <summary>Every request of the period, oldest first, comma-separated.</summary>
    public string RequestIds { get; set; } = string.Empty;

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public string? ReviewedBy { get; set; }

    public string? ReviewReason { get; set; }

    public string EngagementId => PartitionKey;

    public static string Key(int number) => KeyPrefix + number.ToString("D4", CultureInfo.InvariantCulture);
}
