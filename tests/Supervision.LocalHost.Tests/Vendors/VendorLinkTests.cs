using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Evidence;
using Supervision.LocalHost.Tests.Http;
using Supervision.Storage;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Vendors;

/// <summary>Every way a link can be wrong gets a 4xx page that says what to do, and changes nothing.</summary>
[Collection(SharedAzurite.Http)]
public sealed class VendorLinkTests(AzuriteFixture azurite, PerClass<RunningLocalHost> shared) : IClassFixture<PerClass<RunningLocalHost>>, IAsyncLifetime
{
    private RunningLocalHost host = null!;

    // Every test opens a scenario of its own: one host serves the class.
    public async Task InitializeAsync() => host = await shared.GetAsync(() => RunningLocalHost.StartAsync(azurite));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Page_Answers200WithTheRequest_WhenTheLinkIsValid()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);

        using HttpResponseMessage page = await host.Http.GetAsync(scenario.PagePath);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("委託先選定のための確認事項", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Page_IsServedWithAPolicyThatRunsOnlyItsOwnScript_ForbidsFraming_SniffingAndCaching(bool validLink)
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);

        using HttpResponseMessage page = await host.Http.GetAsync(validLink ? scenario.PagePath : scenario.PagePath + "x");
        string html = await page.Content.ReadAsStringAsync();

        string policy = string.Join(';', page.Headers.GetValues("Content-Security-Policy"));
        string nonce = System.Text.RegularExpressions.Regex.Match(policy, "script-src 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(',', page.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.Contains($"<style nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Answers410_WhenTheLinkHasExpired()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        LinkSigner signer = host.Services.GetRequiredService<LinkSigner>();
        signer.TryRead(scenario.Token, out LinkClaims? claims);
        string expired = signer.Sign(claims! with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });

        await AssertRefusedAsync(expired, HttpStatusCode.Gone, "有効期限が切れています");
    }

    [Theory]
    [InlineData(0, HttpStatusCode.BadRequest)]
    [InlineData(1, HttpStatusCode.Forbidden)]
    [InlineData(2, HttpStatusCode.Forbidden)]
    public async Task Page_Answers4xx_WhenAnyPartOfTheLinkWasChanged(int part, HttpStatusCode expected)
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        string[] parts = scenario.Token.Split('.');
        parts[part] = part == 0 ? "v9" : (parts[part][0] == 'A' ? "B" : "A") + parts[part][1..];

        await AssertRefusedAsync(string.Join('.', parts), expected, "リンクが正しくありません");
    }

    [Fact]
    public async Task Page_Answers410_WhenTheRequestWasWithdrawn()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        await host.Services.GetRequiredService<VendorRequests>().CloseAsync(scenario.EngagementId, scenario.Link.RequestId, RequestStatus.Withdrawn, "staff:test", CancellationToken.None);

        await AssertRefusedAsync(scenario.Token, HttpStatusCode.Gone, "取り下げ");
    }

    [Fact]
    public async Task ClosingARequest_WithMoreLinksThanOneTransactionHolds_RevokesEveryLink_AndAnswersTrue()
    {
        // 442 reminder links once made the close exceed a transaction, answer 500, and leave the action half closed.
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        VendorRequests requests = host.Services.GetRequiredService<VendorRequests>();
        var issued = new List<IssuedLink>();
        for (int i = 0; i < 150; i++)
            issued.Add(await requests.IssueLinkAsync(scenario.EngagementId, scenario.Link.RequestId, LinkPurpose.Respond, CancellationToken.None));

        Assert.True(await requests.CloseAsync(scenario.EngagementId, scenario.Link.RequestId, RequestStatus.Withdrawn, "staff:test", CancellationToken.None));

        TableClient table = host.Services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Engagements);
        var links = new List<VendorLinkRecord>();
        await foreach (VendorLinkRecord link in table.QueryAsync<VendorLinkRecord>(row => row.PartitionKey == scenario.EngagementId && row.RequestId == scenario.Link.RequestId))
        {
            if (link.RowKey.StartsWith(VendorLinkRecord.KeyPrefix, StringComparison.Ordinal))
                links.Add(link);
        }

        Assert.Equal(issued.Count + 1, links.Count);
        Assert.All(links, link => Assert.True(link.Revoked, $"Link {link.RowKey} is not revoked."));
        await AssertRefusedAsync(issued[^1].Url.AbsolutePath["/vendor/".Length..], HttpStatusCode.Gone, "取り下げ");
        Assert.False(await requests.CloseAsync(scenario.EngagementId, scenario.Link.RequestId, RequestStatus.Withdrawn, "staff:test", CancellationToken.None));
    }

    [Fact]
    public async Task Page_Answers403_WhenTheLinkIsForAnotherPurpose()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IssuedLink acknowledge = await host.Services.GetRequiredService<VendorRequests>()
            .IssueLinkAsync(scenario.EngagementId, scenario.Link.RequestId, LinkPurpose.Acknowledge, CancellationToken.None);

        await AssertRefusedAsync(acknowledge.Url.AbsolutePath["/vendor/".Length..], HttpStatusCode.Forbidden, "このページ用ではありません");
    }

    [Fact]
    public async Task CompleteUpload_IsRefused_AndChangesNothing_WhenTheUploadBelongsToAnotherEngagementOrRequest()
    {
        VendorScenario mine = await VendorScenario.OpenAsync(host);
        VendorScenario theirs = await VendorScenario.OpenAsync(host);
        IssuedLink myOtherRequest = await host.Services.GetRequiredService<VendorRequests>().OpenAsync(
            new NewVendorRequest(mine.EngagementId, "evidence", "追加資料", "More evidence", [], ["x"], Domain.Common.Language.Ja), CancellationToken.None);
        string theirUpload = await BeginUploadAsync(theirs.Token);
        string myOtherUpload = await BeginUploadAsync(myOtherRequest.Url.AbsolutePath["/vendor/".Length..]);

        using HttpResponseMessage acrossEngagements = await host.Http.PostAsync($"/api/vendor/{mine.Token}/uploads/{theirUpload}/complete", null);
        using HttpResponseMessage acrossRequests = await host.Http.PostAsync($"/api/vendor/{mine.Token}/uploads/{myOtherUpload}/complete", null);

        Assert.Equal(HttpStatusCode.NotFound, acrossEngagements.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, acrossRequests.StatusCode);
        Assert.Equal("WrongEngagement", (string?)(await acrossRequests.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.Equal("Quarantined", (await host.Services.GetRequiredService<EvidenceStore>().GetAsync(theirs.EngagementId, theirUpload, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task AnUploadThatIsNotABlockBlob_IsRefused_EvenWhenItHoldsTheDeclaredBytes()
    {
        // A create-only SAS also lets a caller create a page blob (Copy Blob from a page blob of its own, say).
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        byte[] pdf = new byte[512];
        Encoding.ASCII.GetBytes("%PDF-1.7\n% evidence\n").CopyTo(pdf, 0);
        using HttpResponseMessage begun = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/uploads", new StringContent(
            $$"""{"fileName":"a.pdf","size":512,"sha256":"{{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf))}}"}""", Encoding.UTF8, "application/json"));
        string evidenceId = (string)(await begun.Content.ReadFromJsonAsync<JsonObject>())!["evidenceId"]!;
        var pageBlob = new Azure.Storage.Blobs.Specialized.PageBlobClient(azurite.ConnectionString, EvidenceOptions.UploadsContainer, $"{scenario.EngagementId}/{evidenceId}");
        await pageBlob.CreateAsync(pdf.Length);
        using (var pages = new MemoryStream(pdf))
            await pageBlob.UploadPagesAsync(pages, 0);

        using HttpResponseMessage completed = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/uploads/{evidenceId}/complete", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, completed.StatusCode);
        Assert.Equal("TypeNotAllowed", (string?)(await completed.Content.ReadFromJsonAsync<JsonObject>())!["reason"]);
    }

    [Fact]
    public async Task VendorApi_AnswersProblemDetails_AndStoresNothing_WhenTheLinkIsBad()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        // The signature's first character changed: still well-formed (a changed last character could leave padding bits set,
        // which reads as malformed, 400, once in 64 tokens), so only the signature check refuses it.
        int signature = scenario.Token.LastIndexOf('.') + 1;
        string tampered = scenario.Token[..signature] + (scenario.Token[signature] == 'A' ? 'B' : 'A') + scenario.Token[(signature + 1)..];

        using HttpResponseMessage answers = await host.Http.PostAsync($"/api/vendor/{tampered}/answers", new StringContent("""{"answers":{"privacyPolicy":"yes","manager":"x"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, answers.StatusCode);
        Assert.Equal("application/problem+json", answers.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await host.Services.GetRequiredService<EvidenceStore>().ListAsync(scenario.EngagementId, scenario.Link.RequestId, CancellationToken.None));
    }

    [Fact]
    public async Task Answers_NameEveryBadAnswer_AndStoreNothing()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);

        using HttpResponseMessage answers = await host.Http.PostAsync($"/api/vendor/{scenario.Token}/answers", new StringContent("""{"answers":{"privacyPolicy":"maybe","extra":"x"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answers.StatusCode);
        JsonObject errors = (await answers.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["answers.extra", "answers.manager", "answers.privacyPolicy"], errors.Select(error => error.Key).Order());
        Assert.Empty(await host.Services.GetRequiredService<EvidenceStore>().ListAsync(scenario.EngagementId, scenario.Link.RequestId, CancellationToken.None));
    }

    private async Task<string> BeginUploadAsync(string token)
    {
        using HttpResponseMessage begun = await host.Http.PostAsync($"/api/vendor/{token}/uploads", new StringContent(
            $$"""{"fileName":"a.pdf","size":10,"sha256":"{{new string('a', 64)}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, begun.StatusCode);
        return (string)(await begun.Content.ReadFromJsonAsync<JsonObject>())!["evidenceId"]!;
    }

    private async Task AssertRefusedAsync(string token, HttpStatusCode expected, string whatToDo)
    {
        using HttpResponseMessage page = await host.Http.GetAsync($"/vendor/{token}?lang=ja");

        Assert.Equal(expected, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains(whatToDo, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
