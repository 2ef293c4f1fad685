using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Supervision.Evidence;
using Supervision.LocalHost.Tests.Http;
using Supervision.LocalHost.Tests.Vendors;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Evidence;

/// <summary>
/// Uploads on a storage account of their own (<c>Supervision:Storage:UploadsConnectionString</c>, as private networking
/// deploys it on Azure): the SAS, the browser's PUT and the page's policy name that account, the server reads the upload
/// from it, and the accepted bytes land in the main account's evidence container. Two Azurite accounts stand for the two.
/// </summary>
[Collection(SharedAzurite.Browsers)]
public sealed class UploadsAccountTests(AzuriteFixture azurite, UploadsAccountTests.UploadsAccount uploadsAccount, PerClass<RunningLocalHost> shared)
    : IClassFixture<UploadsAccountTests.UploadsAccount>, IClassFixture<PerClass<RunningLocalHost>>, IAsyncLifetime
{
    private RunningLocalHost host = null!;

    /// <summary>A second storage account on the lane's Azurite, standing for the public uploads account.</summary>
    public sealed class UploadsAccount : IAsyncLifetime
    {
        private readonly AzuriteFixture account = new();

        public string ConnectionString => account.ConnectionString;

        public Task InitializeAsync() => account.InitializeAsync();

        public Task DisposeAsync() => account.DisposeAsync();
    }

    public async Task InitializeAsync() => host = await shared.GetAsync(() => RunningLocalHost.StartAsync(
        azurite, $"--Supervision:Storage:UploadsConnectionString={uploadsAccount.ConnectionString}"));

    public Task DisposeAsync() => Task.CompletedTask;

    private BlobServiceClient Main => new(azurite.ConnectionString);

    private BlobServiceClient Uploads => new(uploadsAccount.ConnectionString);

    private string UploadsContainerPrefix => Uploads.GetBlobContainerClient(EvidenceOptions.UploadsContainer).Uri.AbsoluteUri + "/";

    [Fact]
    public async Task AContractorsUpload_GoesToTheUploadsAccount_IsVerifiedFromThere_AndIsCopiedIntoTheMainAccountsEvidence()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        byte[] pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% insurance certificate\n%%EOF\n");

        using HttpResponseMessage begun = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/uploads", JsonContent.Create(new
        {
            fileName = "insurance.pdf",
            size = pdf.Length,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf)),
        }));
        Assert.Equal(HttpStatusCode.Created, begun.StatusCode);
        JsonObject ticket = (await begun.Content.ReadFromJsonAsync<JsonObject>())!;
        var sas = new Uri((string)ticket["uploadUrl"]!);
        string evidenceId = (string)ticket["evidenceId"]!;
        Assert.StartsWith(UploadsContainerPrefix, sas.AbsoluteUri, StringComparison.Ordinal);

        using var storage = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, sas) { Content = new ByteArrayContent(pdf) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Created, (await storage.SendAsync(put)).StatusCode);

        using HttpResponseMessage completed = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/uploads/{evidenceId}/complete", null);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal("accepted", (string?)(await completed.Content.ReadFromJsonAsync<JsonObject>())!["status"]);

        EvidenceRecord record = (await host.Services.GetRequiredService<EvidenceStore>().GetAsync(scenario.EngagementId, evidenceId, CancellationToken.None))!;
        Assert.Equal(nameof(EvidenceStatus.Accepted), record.Status);
        Assert.Equal(pdf, (await Uploads.GetBlobContainerClient(EvidenceOptions.UploadsContainer).GetBlobClient(record.UploadBlobName).DownloadContentAsync()).Value.Content.ToArray());
        Assert.False(await Main.GetBlobContainerClient(EvidenceOptions.UploadsContainer).GetBlobClient(record.UploadBlobName).ExistsAsync());
        Assert.Equal(pdf, (await Main.GetBlobContainerClient(EvidenceOptions.EvidenceContainer).GetBlobClient(record.EvidenceBlobName).DownloadContentAsync()).Value.Content.ToArray());

        // The uploads account holds the uploads container and nothing else; the app's CORS rule for browsers is there.
        var containers = new List<string>();
        await foreach (var container in Uploads.GetBlobContainersAsync())
            containers.Add(container.Name);
        Assert.Equal([EvidenceOptions.UploadsContainer], containers);
        Assert.Contains("PUT", Assert.Single((await Uploads.GetPropertiesAsync()).Value.Cors).AllowedMethods, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePage_LetsTheBrowserConnectToTheUploadsAccountsContainerOnly_AndAnUploadFromChromiumIsAccepted()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        using HttpResponseMessage served = await host.Http.GetAsync(scenario.PagePath);
        string policy = string.Join(';', served.Headers.GetValues("Content-Security-Policy"));
        string connect = policy.Split(';').Select(directive => directive.Trim()).Single(directive => directive.StartsWith("connect-src ", StringComparison.Ordinal));
        Assert.Equal($"connect-src 'self' {UploadsContainerPrefix}", connect);

        (IPlaywright playwright, IBrowser browser) = await Chromium.LaunchAsync();
        try
        {
            IPage page = await browser.NewPageAsync();
            var puts = new List<string>();
            page.Request += (_, request) =>
            {
                if (request.Method == "PUT")
                    puts.Add(request.Url);
            };
            Assert.Equal(200, (await page.GotoAsync(new Uri(host.Address, scenario.PagePath).ToString()))!.Status);
            byte[] pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% Privacy Mark certificate\n%%EOF\n");

            await page.SetInputFilesAsync("#file", new FilePayload { Name = "pmark.pdf", MimeType = "application/pdf", Buffer = pdf });

            await Assertions.Expect(page.Locator("#uploads li[data-status=accepted]")).ToContainTextAsync("pmark.pdf");
            Assert.StartsWith(UploadsContainerPrefix, Assert.Single(puts), StringComparison.Ordinal);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
