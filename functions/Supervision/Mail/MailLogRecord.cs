using Azure;
using Azure.Data.Tables;

namespace Supervision.Mail;

/// <summary>
/// One row per mail idempotency key in the engagement's partition of <see cref="Storage.TableNames.Engagements"/>
/// (RowKey <c>mail|</c> and the key), inserted as <see cref="MailStatus.Sending"/> before the mail is handed to a
/// transport, and settled with the mail's trail entry in one transaction.
/// </summary>
public sealed class MailLogRecord : ITableEntity
{
    public const string KeyPrefix = "mail|";

    /// <summary>A table string property holds at most 32,768 characters; reasons are kept well below.</summary>
    public const int MaxReasonLength = 4_000;

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>A <see cref="MailStatus"/> name.</summary>
    public string Status { get; set; } = string.Empty;

    public string Template { get; set; } = string.Empty;

    public string Language { get; set; } = string.Empty;

    public string Recipient { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    /// <summary>How many times a send was started for this key (a transient failure lets a later attempt take over).</summary>
    public int Attempts { get; set; }

    /// <summary><see cref="SendGridTransport.Name"/> or <see cref="OutboxTransport.Name"/>, once sent.</summary>
    public string? Transport { get; set; }

    /// <summary>SendGrid's X-Message-Id, or the outbox file name.</summary>
    public string? MessageId { get; set; }

    /// <summary>The last HTTP status from the provider when it refused or failed.</summary>
    public int? ProviderStatus { get; set; }

    /// <summary>Why the mail was rejected or why the last attempt failed.</summary>
    public string? Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string IdempotencyKey => RowKey[KeyPrefix.Length..];

    public static string Key(string idempotencyKey) => KeyPrefix + idempotencyKey;

    public MailStatus CurrentStatus => Enum.Parse<MailStatus>(Status);
}
