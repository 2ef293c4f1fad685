using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Evidence;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Storage;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Evidence;

/// <summary>
/// An upload's decision is one write (docs/decisions/0002): its evidence row, decided, and the trail entry that records
/// the decision, in one transaction of the engagement's partition, so a completion that fails leaves the upload in
/// quarantine with nothing on the trail, and a completion tried again records it once.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class UploadDecisionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AnUploadsDecision_AndItsTrailEntry_LandTogetherOrNotAtAll_AndARetryRecordsItOnce()
    {
        LostTransactions storage = await LostTransactions.ConnectAsync(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        await blobs.GetBlobContainerClient(EvidenceOptions.UploadsContainer).CreateIfNotExistsAsync();
        await blobs.GetBlobContainerClient(EvidenceOptions.EvidenceContainer).CreateIfNotExistsAsync();
        var store = new EvidenceStore(storage.Tables, blobs, new UploadStorage(blobs, false), Options.Create(new EvidenceOptions()), TimeProvider.System, storage.Audit);
        string engagementId = EngagementIds.New();
        string evidenceId = Guid.NewGuid().ToString("N");
        byte[] pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% quarterly report\n%%EOF\n");
        var quarantined = new EvidenceRecord
        {
            PartitionKey = engagementId,
            RowKey = EvidenceRecord.Key(evidenceId),
            RequestId = "r1",
            UploaderLinkId = "l1",
            OriginalFileName = "report.pdf",
            DeclaredSize = pdf.Length,
            DeclaredSha256 = Convert.ToHexStringLower(SHA256.HashData(pdf)),
            Status = nameof(EvidenceStatus.Quarantined),
            UploadBlobName = $"{engagementId}/{evidenceId}",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await storage.Tables.GetTableClient(TableNames.Engagements).AddEntityAsync(quarantined);
        await blobs.GetBlobContainerClient(EvidenceOptions.UploadsContainer).GetBlobClient(quarantined.UploadBlobName).UploadAsync(new BinaryData(pdf));
        static TrailEntry Recorded(EvidenceRecord decided) => new("link:l1", AuditActions.EvidenceAccepted, new Dictionary<string, string> { ["evidenceId"] = decided.EvidenceId, ["status"] = decided.Status }, $"evidence.{decided.EvidenceId}");

        EvidenceRecord uploaded = (await store.GetAsync(engagementId, evidenceId, CancellationToken.None))!;
        storage.LoseNext();
        await Assert.ThrowsAsync<IOException>(() => store.CompleteUploadAsync(uploaded, Recorded, CancellationToken.None));

        Assert.Equal(nameof(EvidenceStatus.Quarantined), (await store.GetAsync(engagementId, evidenceId, CancellationToken.None))!.Status);
        Assert.Empty(await storage.Audit.ListAsync(engagementId, CancellationToken.None));

        for (int attempt = 0; attempt < 2; attempt++)
        {
            EvidenceDecision? decision = await store.CompleteUploadAsync((await store.GetAsync(engagementId, evidenceId, CancellationToken.None))!, Recorded, CancellationToken.None);
            Assert.Equal(EvidenceStatus.Accepted, decision?.Status);
        }

        EvidenceRecord accepted = (await store.GetAsync(engagementId, evidenceId, CancellationToken.None))!;
        Assert.Equal((nameof(EvidenceStatus.Accepted), quarantined.DeclaredSha256), (accepted.Status, accepted.Sha256));
        AuditEntry recorded = Assert.Single(await storage.Audit.ListAsync(engagementId, CancellationToken.None));
        Assert.Equal((AuditActions.EvidenceAccepted, evidenceId, nameof(EvidenceStatus.Accepted)), (recorded.Action, recorded.Details["evidenceId"], recorded.Details["status"]));
        Assert.Equal(pdf, (await store.ReadAsync(accepted, CancellationToken.None)).ToArray());
    }
}
