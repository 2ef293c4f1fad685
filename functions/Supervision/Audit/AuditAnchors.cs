using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Supervision.Domain.Audit;
using Supervision.Evidence;

namespace Supervision.Audit;

/// <summary>
/// Anchors each engagement's trail: its head (sequence and hash) written as an empty blob named
/// <c>anchors/{engagementId}/{sequence}-{hash}</c> into the evidence container, which is write-once on Azure (a
/// time-based immutability policy) and never overwritten here. Someone who can write the Audit table could recompute the
/// whole chain; they cannot change an anchor, so verification against the anchors finds the rewrite. The daily sweep
/// anchors every trail whose head moved; the name carries everything, so verifying lists and never downloads.
/// </summary>
public sealed class AuditAnchors(AuditLog audit, BlobServiceClient blobs)
{
    public const string Prefix = "anchors/";

    private readonly BlobContainerClient container = blobs.GetBlobContainerClient(EvidenceOptions.EvidenceContainer);

    /// <summary>Anchors the trail's head as it is now. False when there is nothing new to anchor (empty, or anchored already).</summary>
    public async Task<bool> AnchorAsync(string engagementId, CancellationToken cancellationToken)
    {
        if (await audit.HeadAsync(engagementId, cancellationToken) is not { } head)
            return false;
        BlobClient blob = container.GetBlobClient($"{Prefix}{engagementId}/{head.Sequence.ToString("D19", CultureInfo.InvariantCulture)}-{head.Hash}");
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Every anchor of the engagement's trail, oldest first: one listing of its prefix.</summary>
    public async Task<IReadOnlyList<AuditAnchor>> ListAsync(string engagementId, CancellationToken cancellationToken)
    {
        var anchors = new List<AuditAnchor>();
        string prefix = $"{Prefix}{engagementId}/";
        await foreach (BlobItem item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            string[] parts = item.Name[prefix.Length..].Split('-', 2);
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
                anchors.Add(new AuditAnchor(sequence, parts[1], item.Properties.CreatedOn ?? DateTimeOffset.MinValue));
        }

        return [.. anchors.OrderBy(anchor => anchor.Sequence)];
    }
}
