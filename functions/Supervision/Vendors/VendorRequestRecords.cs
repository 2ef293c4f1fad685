using Azure;
using Azure.Data.Tables;

namespace Supervision.Vendors;

/// <summary>A request to a contractor, in <see cref="Storage.TableNames.Engagements"/> (PartitionKey = engagement id).</summary>
public sealed class VendorRequestRecord : ITableEntity
{
    public const string KeyPrefix = "request|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = string.Empty;

    public string TitleJa { get; set; } = string.Empty;

    public string TitleEn { get; set; } = string.Empty;

    /// <summary>The questions, as JSON; empty when the request only asks for files.</summary>
    public string Questions { get; set; } = "[]";

    /// <summary>What evidence is asked for, one line per item, shown on the page.</summary>
    public string EvidenceAsked { get; set; } = string.Empty;

    public string Language { get; set; } = "ja";

    public string Status { get; set; } = string.Empty;

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The durable instance waiting for this request, and the event it waits for, if any.</summary>
    public string? WaitingInstanceId { get; set; }

    public string? CompletionEvent { get; set; }

    /// <summary>Whom the request's mail goes to when it is not the engagement's contractor contact (e.g. a data receiver).</summary>
    public string? RecipientEmail { get; set; }

    public string? RecipientName { get; set; }

    /// <summary>The recipient's company when it is not the contractor (a subcontractor): what the mail addresses.</summary>
    public string? RecipientOrganisation { get; set; }

    /// <summary>
    /// What the request is about when it is not the engagement as a whole, such as a subcontractor tier: a link of the
    /// request acts for that subject alone, and closing the subject withdraws its requests.
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>Whether it is still asked once the engagement's work has ended (the return or erasure, incidents).</summary>
    public bool AskedAfterTheWorkEnds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The answers in force: the last answers evidence recorded while the request was open.</summary>
    public string? AnswersEvidenceId { get; set; }

    public string RequestId => RowKey[KeyPrefix.Length..];

    public static string Key(string requestId) => KeyPrefix + requestId;
}

/// <summary>An issued link. Only its id and claims are stored; the token itself is never stored or logged.</summary>
public sealed class VendorLinkRecord : ITableEntity
{
    public const string KeyPrefix = "link|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RequestId { get; set; } = string.Empty;

    public string Purpose { get; set; } = string.Empty;

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Revoked { get; set; }

    public string LinkId => RowKey[KeyPrefix.Length..];

    public static string Key(string linkId) => KeyPrefix + linkId;
}
