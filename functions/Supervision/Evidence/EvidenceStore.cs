using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Evidence;
using Supervision.Storage;
using Supervision.Vendors;

namespace Supervision.Evidence;

/// <summary>Where the browser sends the bytes: a create-only SAS for one new blob, valid for minutes.</summary>
public sealed record UploadTicket(string EvidenceId, Uri UploadUrl, DateTimeOffset ExpiresAt);

public sealed record EvidenceDecision(string EvidenceId, EvidenceStatus Status, EvidenceRejection Rejection, string? Sha256);

/// <summary>
/// Evidence: metadata in its engagement's partition (<c>evidence|{id}</c>), bytes in Blob Storage. Uploads arrive in
/// quarantine and count only after the server has checked size, type by content signature and SHA-256; accepted bytes are
/// then written once into the evidence container. The application never overwrites or deletes a blob. The uploads
/// container may be on an account of its own (<see cref="UploadStorage"/>); the bytes cross to evidence through the
/// application, never by a server-side copy.
/// </summary>
public sealed class EvidenceStore(TableServiceClient tables, BlobServiceClient blobs, UploadStorage uploadStorage, IOptions<EvidenceOptions> options, TimeProvider time, AuditLog audit)
{
    public const string SystemUploader = "system";
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);
    private readonly BlobServiceClient uploadService = uploadStorage.Service;
    private readonly BlobContainerClient uploads = uploadStorage.Service.GetBlobContainerClient(EvidenceOptions.UploadsContainer);
    private readonly BlobContainerClient evidence = blobs.GetBlobContainerClient(EvidenceOptions.EvidenceContainer);

    /// <summary>
    /// What a contractor's page may connect to besides the app (a CSP source): the uploads container and nothing else of
    /// its blob service, e.g. <c>https://account.blob.core.windows.net/uploads/</c>.
    /// </summary>
    public string UploadConnectSource => uploads.Uri.AbsoluteUri.TrimEnd('/') + "/";

    public long MaxBytes => options.Value.MaxBytes;

    public async Task<UploadTicket> BeginUploadAsync(LinkClaims link, DeclaredFile declared, string? declaredContentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(declared);
        string evidenceId = Guid.NewGuid().ToString("N");
        DateTimeOffset now = time.GetUtcNow();
        var record = new EvidenceRecord
        {
            PartitionKey = link.EngagementId,
            RowKey = EvidenceRecord.Key(evidenceId),
            RequestId = link.RequestId,
            UploaderLinkId = link.LinkId,
            OriginalFileName = declared.FileName,
            DeclaredSize = declared.Size,
            DeclaredSha256 = declared.Sha256,
            DeclaredContentType = declaredContentType,
            Status = nameof(EvidenceStatus.Quarantined),
            UploadBlobName = $"{link.EngagementId}/{evidenceId}",
            CreatedAt = now,
        };
        await table.AddEntityAsync(record, cancellationToken);

        DateTimeOffset expiresAt = now + options.Value.UploadSasLifetime;
        return new UploadTicket(evidenceId, await CreateOnlySasAsync(uploads.GetBlobClient(record.UploadBlobName), now, expiresAt, cancellationToken), expiresAt);
    }

    public Task<EvidenceRecord?> GetAsync(string engagementId, string evidenceId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<EvidenceRecord>(engagementId, EvidenceRecord.Key(evidenceId), cancellationToken);

    /// <summary>
    /// Verifies an upload and decides it: the row's decision and the trail entry <paramref name="recordedAs"/> makes of it are
    /// one write. Deciding is idempotent: an upload already decided answers its decision (and its entry is appended, by its
    /// key, if a version that wrote them apart left it out). Null when the bytes have not arrived yet.
    /// </summary>
    public async Task<EvidenceDecision?> CompleteUploadAsync(EvidenceRecord record, Func<EvidenceRecord, TrailEntry> recordedAs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(recordedAs);
        Verdict? verdict = null;
        if (record.Status == nameof(EvidenceStatus.Quarantined) && (verdict = await CheckAsync(record, cancellationToken)) is null)
            return null;

        // The first read is the record in hand; after a refusal (a concurrent completion decided first), the row as stored.
        int reads = 0;
        EvidenceRecord stored = (await audit.UpdateAsync(
            async token => reads++ == 0 ? record : await GetAsync(record.PartitionKey, record.EvidenceId, token),
            row => verdict is not null && row.Status == nameof(EvidenceStatus.Quarantined) && verdict.ApplyTo(row),
            row => row.Status == nameof(EvidenceStatus.Quarantined) ? null : recordedAs(row),
            cancellationToken))!;
        return Decision(stored);
    }

    /// <summary>Checks a quarantined upload's bytes and writes accepted ones to evidence; null before they arrive.</summary>
    private async Task<Verdict?> CheckAsync(EvidenceRecord record, CancellationToken cancellationToken)
    {
        if (await ReadUpToAsync(uploads.GetBlobClient(record.UploadBlobName), options.Value.MaxBytes + 1, cancellationToken) is not { } upload)
            return null;

        byte[] bytes = upload.Bytes;
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        EvidenceFileKind? kind = EvidenceFileKinds.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, EvidenceFileKinds.SignatureLength)));
        // The create-only SAS cannot tell a file from a page or append blob: only a block blob is an uploaded file.
        EvidenceRejection rejection = upload.Type != BlobType.Block
            ? EvidenceRejection.TypeNotAllowed
            : EvidenceRules.Judge(new DeclaredFile(record.OriginalFileName, record.DeclaredSize, record.DeclaredSha256), bytes.Length, sha256, kind, options.Value.MaxBytes);
        string? contentType = null;
        if (rejection == EvidenceRejection.None)
        {
            contentType = EvidenceFileKinds.ContentType(kind!.Value);
            await WriteOnceAsync(record.UploadBlobName, bytes, contentType, sha256, cancellationToken);
        }

        return new Verdict(bytes.Length, sha256, rejection, contentType, time.GetUtcNow());
    }

    /// <summary>Stores what the application itself produced (e.g. a questionnaire's answers) as accepted evidence.</summary>
    public async Task<EvidenceRecord> AddSystemEvidenceAsync(string engagementId, string requestId, string fileName, string contentType, byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string evidenceId = Guid.NewGuid().ToString("N");
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string blobName = $"{engagementId}/{evidenceId}";
        await WriteOnceAsync(blobName, bytes, contentType, sha256, cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        var record = new EvidenceRecord
        {
            PartitionKey = engagementId,
            RowKey = EvidenceRecord.Key(evidenceId),
            RequestId = requestId,
            UploaderLinkId = SystemUploader,
            OriginalFileName = fileName,
            DeclaredSize = bytes.Length,
            DeclaredSha256 = sha256,
            DeclaredContentType = contentType,
            Size = bytes.Length,
            Sha256 = sha256,
            ContentType = contentType,
            Status = nameof(EvidenceStatus.Accepted),
            UploadBlobName = blobName,
            EvidenceBlobName = blobName,
            CreatedAt = now,
            DecidedAt = now,
        };
        await table.AddEntityAsync(record, cancellationToken);
        return record;
    }

    /// <summary>The answers evidence in force for a request (<see cref="VendorRequests.RecordAnswersAsync"/>); null before any.</summary>
    public async Task<string?> AnswersInForceAsync(string engagementId, string requestId, CancellationToken cancellationToken) =>
        (await table.GetOrNullAsync<VendorRequestRecord>(engagementId, VendorRequestRecord.Key(requestId), cancellationToken))?.AnswersEvidenceId;

    /// <summary>The bytes of accepted evidence.</summary>
    public async Task<BinaryData> ReadAsync(EvidenceRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.EvidenceBlobName is null)
            throw new InvalidOperationException($"Evidence {record.EvidenceId} has not been accepted.");
        Response<BlobDownloadResult> download = await evidence.GetBlobClient(record.EvidenceBlobName).DownloadContentAsync(cancellationToken);
        return download.Value.Content;
    }

    /// <summary>One request's evidence: the range of the engagement's evidence rows, filtered.</summary>
    public async Task<IReadOnlyList<EvidenceRecord>> ListAsync(string engagementId, string requestId, CancellationToken cancellationToken) =>
        await table.ListByPrefixAsync<EvidenceRecord>(engagementId, EvidenceRecord.KeyPrefix, cancellationToken, TableClient.CreateQueryFilter($"RequestId eq {requestId}"));

    /// <summary>What checking an upload found, to be written on its row; accepted bytes are already in evidence under the upload's name.</summary>
    private sealed record Verdict(long Size, string Sha256, EvidenceRejection Rejection, string? ContentType, DateTimeOffset DecidedAt)
    {
        public bool ApplyTo(EvidenceRecord row)
        {
            bool accepted = Rejection == EvidenceRejection.None;
            row.Size = Size;
            row.Sha256 = Sha256;
            row.ContentType = ContentType;
            row.EvidenceBlobName = accepted ? row.UploadBlobName : null;
            row.Status = accepted ? nameof(EvidenceStatus.Accepted) : nameof(EvidenceStatus.Rejected);
            row.RejectionReason = accepted ? null : Rejection.ToString();
            row.DecidedAt = DecidedAt;
            return true;
        }
    }

    private static EvidenceDecision Decision(EvidenceRecord record) => new(
        record.EvidenceId,
        Enum.Parse<EvidenceStatus>(record.Status),
        record.RejectionReason is null ? EvidenceRejection.None : Enum.Parse<EvidenceRejection>(record.RejectionReason),
        record.Sha256);

    /// <summary>Writes a blob that must not exist yet; an equal blob left by an interrupted earlier attempt is accepted as is.</summary>
    private async Task WriteOnceAsync(string blobName, byte[] bytes, string contentType, string sha256, CancellationToken cancellationToken)
    {
        BlobClient blob = evidence.GetBlobClient(blobName);
        try
        {
            await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = new Dictionary<string, string> { ["sha256"] = sha256 },
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            BlobProperties existing = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (!existing.Metadata.TryGetValue("sha256", out string? existingHash) || existingHash != sha256)
                throw new InvalidOperationException($"Evidence blob {blobName} already exists with other content; it is never overwritten.", e);
        }
    }

    private static async Task<(byte[] Bytes, BlobType Type)?> ReadUpToAsync(BlobClient blob, long limit, CancellationToken cancellationToken)
    {
        try
        {
            BlobDownloadStreamingResult download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(0, limit) }, cancellationToken);
            await using Stream content = download.Content;
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            return (buffer.ToArray(), download.Details.BlobType);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // A range request on an empty blob: refused as empty whatever its type.
            return ([], BlobType.Block);
        }
    }

    private async Task<Uri> CreateOnlySasAsync(BlobClient blob, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var sas = new BlobSasBuilder(BlobSasPermissions.Create, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now.AddMinutes(-1),
        };
        if (blob.CanGenerateSasUri)
            return blob.GenerateSasUri(sas);

        // On Azure there is no account key: sign with a user delegation key of the app's managed identity.
        UserDelegationKey key = await uploadService.GetUserDelegationKeyAsync(now.AddMinutes(-1), expiresAt, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, uploadService.AccountName) }.ToUri();
    }
}
