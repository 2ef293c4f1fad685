using Azure;
using Azure.Data.Tables;

namespace Supervision.Kernel;

/// <summary>Where a handover's acknowledgement by its receiver stands.</summary>
public enum AcknowledgementStatus
{
    Waiting,
    Acknowledged,
    Disputed,
}

/// <summary>One handover ledger entry: a row <c>handover|{id}</c> in the engagement's partition of the Engagements table.</summary>
public sealed class HandoverRecord : ITableEntity
{
    public const string Prefix = "handover|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The data items handed over, as a JSON array.</summary>
    public string DataItems { get; set; } = "[]";

    public int RecordCount { get; set; }

    public string Medium { get; set; } = string.Empty;

    public string TransferMethod { get; set; } = string.Empty;

    public string SenderName { get; set; } = string.Empty;

    public string ReceiverName { get; set; } = string.Empty;

    public string ReceiverEmail { get; set; } = string.Empty;

    /// <summary>Japan calendar date, yyyy-MM-dd.</summary>
    public string HandedOverOn { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>SHA-256 of the validated entry: a repeated idempotency key must carry the same entry.</summary>
    public string EntryHash { get; set; } = string.Empty;

    /// <summary>The vendor request through which the receiver acknowledges, once the workflow opened it.</summary>
    public string? AcknowledgementRequestId { get; set; }

    public string Status { get; set; } = nameof(AcknowledgementStatus.Waiting);

    /// <summary>When the receiver answered (acknowledged or disputed).</summary>
    public DateTimeOffset? AnsweredAt { get; set; }

    public string? ReceivedAsDescribed { get; set; }

    public string? RecordsReceived { get; set; }

    public string? Remark { get; set; }

    /// <summary>The subcontractor tier that received it; null when the principal handed it to the contractor.</summary>
    public string? ToTier { get; set; }

    public string EngagementId => PartitionKey;

    public string HandoverId => RowKey[Prefix.Length..];

    public static string Key(string handoverId) => Prefix + handoverId;
}

/// <summary>Paper or media checked out to the contractor (7-3): a row <c>checkout|{id}</c> in the engagement's partition.</summary>
public sealed class CheckoutRecord : ITableEntity
{
    public const string Prefix = "checkout|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ItemDescription { get; set; } = string.Empty;

    /// <summary>Japan calendar dates, yyyy-MM-dd.</summary>
    public string CheckedOutOn { get; set; } = string.Empty;

    public string DueBack { get; set; } = string.Empty;

    public string? ReturnedOn { get; set; }

    public DateTimeOffset? ReturnRecordedAt { get; set; }

    public string? ReturnRecordedBy { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    public string EntryHash { get; set; } = string.Empty;

    /// <summary>How many overdue reminders the contractor was sent, and whether the supervisors were told.</summary>
    public int OverdueReminders { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    public string EngagementId => PartitionKey;

    public string CheckoutId => RowKey[Prefix.Length..];

    public static string Key(string checkoutId) => Prefix + checkoutId;
}
