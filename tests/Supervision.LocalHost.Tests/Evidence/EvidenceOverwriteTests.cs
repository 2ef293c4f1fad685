using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Evidence;
using Supervision.LocalHost.Tests.Http;
using Supervision.LocalHost.Tests.Vendors;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Evidence;

/// <summary>Evidence is written once: no SAS the system issues can overwrite it, or reach the evidence container at all.</summary>
[Collection(SharedAzurite.Http)]
public sealed class EvidenceOverwriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningLocalHost host = null!;

    public async Task InitializeAsync() => host = await RunningLocalHost.StartAsync(azurite);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task UploadSas_CannotOverwriteTheUpload_NorWriteIntoTheEvidenceContainer()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        byte[] original = Encoding.ASCII.GetBytes("%PDF-1.4\n% the signed contract\n%%EOF\n");
        (string evidenceId, Uri sas) = await BeginAsync(scenario, original);
        using var storage = new HttpClient();

        Assert.Equal(HttpStatusCode.Created, (await PutAsync(storage, sas, original)).StatusCode);
        using HttpResponseMessage completed = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/uploads/{evidenceId}/complete", null);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        byte[] forged = Encoding.ASCII.GetBytes("%PDF-1.4\n% a different contract\n%%EOF\n");
        HttpResponseMessage overwrite = await PutAsync(storage, sas, forged);
        Assert.True(overwrite.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict, $"overwrite answered {overwrite.StatusCode}");

        var intoEvidence = new UriBuilder(sas) { Path = sas.AbsolutePath.Replace($"/{EvidenceOptions.UploadsContainer}/", $"/{EvidenceOptions.EvidenceContainer}/", StringComparison.Ordinal) };
        HttpResponseMessage evidenceWrite = await PutAsync(storage, intoEvidence.Uri, forged);
        Assert.Equal(HttpStatusCode.Forbidden, evidenceWrite.StatusCode);

        EvidenceRecord record = (await host.Services.GetRequiredService<EvidenceStore>().GetAsync(scenario.EngagementId, evidenceId, CancellationToken.None))!;
        BlobServiceClient blobs = host.Services.GetRequiredService<BlobServiceClient>();
        byte[] stored = (await blobs.GetBlobContainerClient(EvidenceOptions.EvidenceContainer).GetBlobClient(record.EvidenceBlobName).DownloadContentAsync()).Value.Content.ToArray();
        byte[] upload = (await blobs.GetBlobContainerClient(EvidenceOptions.UploadsContainer).GetBlobClient(record.UploadBlobName).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(original, stored);
        Assert.Equal(original, upload);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), record.Sha256);
    }

    [Fact]
    public async Task CompleteUpload_Answers409_AndDecidesNothing_WhenTheBytesHaveNotArrived()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        (string evidenceId, _) = await BeginAsync(scenario, [1, 2, 3]);

        using HttpResponseMessage completed = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/uploads/{evidenceId}/complete", null);

        Assert.Equal(HttpStatusCode.Conflict, completed.StatusCode);
        Assert.Equal(nameof(EvidenceStatus.Quarantined), (await host.Services.GetRequiredService<EvidenceStore>().GetAsync(scenario.EngagementId, evidenceId, CancellationToken.None))!.Status);
    }

    private async Task<(string EvidenceId, Uri Sas)> BeginAsync(VendorScenario scenario, byte[] bytes)
    {
        using HttpResponseMessage begun = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/uploads", JsonContent.Create(new
        {
            fileName = "contract.pdf",
            size = bytes.Length,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        }));
        JsonObject ticket = (await begun.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)ticket["evidenceId"]!, new Uri((string)ticket["uploadUrl"]!));
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient storage, Uri sas, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, sas) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        return await storage.SendAsync(request);
    }
}
