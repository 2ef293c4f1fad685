using Azure;
using Azure.Data.Tables;

namespace Supervision.Evidence;

public enum EvidenceStatus
{
    /// <summary>Upload link issued or bytes received, not yet verified: never counts as evidence.</summary>
    Quarantined,
    Accepted,
    Rejected,
}

/// <summary>Evidence metadata, a row <c>evidence|{id}</c> of its engagement's partition of <see cref="Storage.TableNames.Engagements"/>.</summary>
public sealed class EvidenceRecord : ITableEntity
{
    public const string KeyPrefix = "evidence|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RequestId { get; set; } = string.Empty;

    /// <summary>The link it came through (<c>system</c> for what the application wrote itself).</summary>
    public string UploaderLinkId { get; set; } = string.Empty;

    public string OriginalFileName { get; set; } = string.Empty;

    public long DeclaredSize { get; set; }

    public string DeclaredSha256 { get; set; } = string.Empty;

    public string? DeclaredContentType { get; set; }

    public long? Size { get; set; }

    /// <summary>The content type found from the bytes, never the one declared.</summary>
    public string? ContentType { get; set; }

    /// <summary>SHA-256 computed by the server from the stored bytes.</summary>
    public string? Sha256 { get; set; }

    public string Status { get; set; } = string.Empty;

    public string? RejectionReason { get; set; }

    public string UploadBlobName { get; set; } = string.Empty;

    public string? EvidenceBlobName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string EvidenceId => RowKey[KeyPrefix.Length..];

    public static string Key(string evidenceId) => KeyPrefix + evidenceId;
}
