using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Supervision.Domain.Common;
using Supervision.Domain.Mail;
using Supervision.Evidence;
using Supervision.LocalHost.Tests.Http;
using Supervision.Storage;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Vendors;

/// <summary>A contractor's side in a real browser: open the link, answer, upload; bad files are refused and count nowhere.</summary>
[Collection(SharedAzurite.Browsers)]
public sealed class VendorPageBrowserTests(AzuriteFixture azurite, PerClass<RunningLocalHost> shared) : IClassFixture<PerClass<RunningLocalHost>>, IAsyncLifetime
{
    private const int MaxBytes = 64 * 1024;
    private RunningLocalHost host = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        // Every test opens scenarios of its own in a page of its own: one host serves the class.
        host = await shared.GetAsync(() => RunningLocalHost.StartAsync(azurite, $"--Supervision:Evidence:MaxBytes={MaxBytes}"));
        (playwright, browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    [Fact]
    public async Task Vendor_AnswersAndUploadsAnAllowedFile_AndSeesItAccepted()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IPage page = await OpenAsync(scenario);

        await Assertions.Expect(page.Locator("#request-title")).ToHaveTextAsync("委託先選定のための確認事項");
        await page.CheckAsync("#q-privacyPolicy-yes");
        await page.FillAsync("#q-manager", "佐藤 花子");
        await page.ClickAsync("#answers button[type=submit]");
        await Assertions.Expect(page.Locator("#answers-status")).ToHaveTextAsync("回答を保存しました。");

        byte[] pdf = Pdf("Privacy Mark certificate");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "pmark.pdf", MimeType = "application/pdf", Buffer = pdf });
        await Assertions.Expect(page.Locator("#uploads li[data-status=accepted]")).ToContainTextAsync("pmark.pdf");

        IReadOnlyList<EvidenceRecord> evidence = await EvidenceOfAsync(scenario);
        EvidenceRecord upload = Assert.Single(evidence, record => record.OriginalFileName == "pmark.pdf");
        Assert.Equal(nameof(EvidenceStatus.Accepted), upload.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), upload.Sha256);
        Assert.Equal("application/pdf", upload.ContentType);
        Assert.Equal(pdf, (await EvidenceBlob(upload.EvidenceBlobName!).DownloadContentAsync()).Value.Content.ToArray());
        EvidenceRecord answers = Assert.Single(evidence, record => record.OriginalFileName == "answers.json");
        Assert.Contains("佐藤 花子", Encoding.UTF8.GetString((await EvidenceBlob(answers.EvidenceBlobName!).DownloadContentAsync()).Value.Content.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task YesNoQuestions_AreRadioButtonsWithVisibleLabels_AnsweredByKeyboard()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IPage page = await OpenAsync(scenario);

        await Assertions.Expect(page.Locator("select")).ToHaveCountAsync(0);
        ILocator question = page.GetByRole(AriaRole.Group, new() { Name = "個人情報保護方針を定めていますか。" });
        await Assertions.Expect(question.GetByRole(AriaRole.Radio, new() { Name = "はい", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(question.GetByRole(AriaRole.Radio, new() { Name = "いいえ", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(question.GetByText("はい", new() { Exact = true })).ToBeVisibleAsync();

        await page.FocusAsync("#q-privacyPolicy-yes");
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("#q-privacyPolicy-yes")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.Locator("#q-privacyPolicy-no")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#q-manager")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Hanako Sato");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#answers-status")).ToHaveTextAsync("回答を保存しました。");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#q-privacyPolicy-no")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#q-manager")).ToHaveValueAsync("Hanako Sato");
    }

    [Fact]
    public async Task Progress_IsCountedFromTheSavedAnswersOnTheServer_AndFollowsTheFormAsItIsFilled()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IPage page = await OpenAsync(scenario);

        await Assertions.Expect(page.Locator("#progress")).ToContainTextAsync("0 / 2 問 回答済み");
        await page.CheckAsync("#q-privacyPolicy-yes");
        await Assertions.Expect(page.Locator("#progress")).ToContainTextAsync("1 / 2");
        await page.FillAsync("#q-manager", "佐藤 花子");
        await Assertions.Expect(page.Locator("#progress")).ToContainTextAsync("2 / 2");
        await page.ClickAsync("#answers button[type=submit]");
        await Assertions.Expect(page.Locator("#answers-status")).ToHaveTextAsync("回答を保存しました。");

        await using IBrowserContext withoutScript = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        IPage again = await withoutScript.NewPageAsync();
        IResponse? response = await again.GotoAsync(new Uri(host.Address, scenario.PagePath).ToString());
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(again.Locator("#progress")).ToContainTextAsync("2 / 2 問 回答済み");
        await Assertions.Expect(again.Locator("#progress-bar")).ToHaveAttributeAsync("value", "2");
        await Assertions.Expect(again.Locator("#q-privacyPolicy-yes")).ToBeCheckedAsync();
        await Assertions.Expect(again.Locator("#q-manager")).ToHaveValueAsync("佐藤 花子");
        await Assertions.Expect(again.Locator("#needs-script")).ToBeVisibleAsync();
        await Assertions.Expect(again.Locator("#answers button[type=submit]")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task RefusedAnswers_KeepWhatWasTyped_AndShowTheErrorAtTheQuestion_AndFinishingSubmitsNothingUntilTheyAreAccepted()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IPage page = await OpenAsync(scenario);

        await page.FillAsync("#q-manager", "佐藤 花子");
        await page.ClickAsync("#answers button[type=submit]");

        await Assertions.Expect(page.Locator("#q-privacyPolicy-error")).ToHaveTextAsync("このご質問にご回答ください。");
        await Assertions.Expect(page.Locator("#q-privacyPolicy-yes")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#answers-status")).ToContainTextAsync("回答を保存できませんでした");
        await Assertions.Expect(page.Locator("#q-manager")).ToHaveValueAsync("佐藤 花子");
        await Assertions.Expect(page.Locator("#q-manager-error")).ToBeHiddenAsync();

        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#q-privacyPolicy-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#done")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#q-manager")).ToHaveValueAsync("佐藤 花子");
        VendorRequests requests = host.Services.GetRequiredService<VendorRequests>();
        Assert.Equal(nameof(RequestStatus.Open), (await requests.GetAsync(scenario.EngagementId, scenario.Link.RequestId, CancellationToken.None))!.Status);

        await page.CheckAsync("#q-privacyPolicy-yes");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#q-privacyPolicy-error")).ToBeHiddenAsync();
        RequestSubmission submitted = await RequestSubmission.ReadAsync(host.Services.GetRequiredService<EvidenceStore>(), scenario.EngagementId, scenario.Link.RequestId, CancellationToken.None);
        Assert.Equal("yes", submitted.Answer("privacyPolicy"));
        Assert.Equal("佐藤 花子", submitted.Answer("manager"));
    }

    public static TheoryData<string, string, string> RefusedFiles => new()
    {
        { "oversize", "big.pdf", "TooLarge" },
        { "disallowed type", "notes.txt", "TypeNotAllowed" },
        { "renamed executable", "invoice.pdf", "TypeNotAllowed" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task Vendor_SeesABadFileRefused_AndItCountsNowhere(string because, string fileName, string reason)
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IPage page = await OpenAsync(scenario);
        byte[] bytes = because switch
        {
            "oversize" => Pdf(new string('x', MaxBytes)),
            "disallowed type" => Encoding.UTF8.GetBytes("just some notes"),
            _ => [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, .. new byte[120]],
        };

        await page.SetInputFilesAsync("#file", new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = bytes });

        await Assertions.Expect(page.Locator("#uploads li[data-status=rejected]")).ToContainTextAsync(fileName);
        await AssertCountsNowhereAsync(scenario, fileName, reason);
    }

    [Fact]
    public async Task Vendor_SeesAFileRefused_WhenItsBytesChangedAfterTheHashWasDeclared()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IPage page = await OpenAsync(scenario);
        string declared = Convert.ToHexStringLower(SHA256.HashData(Pdf("what was declared")));

        await page.EvaluateAsync(
            "async ([name, sha]) => window.showUpload(name, await window.uploadFile(new File(['%PDF-1.4 what was sent instead'], name), sha))",
            new[] { "swapped.pdf", declared });

        await Assertions.Expect(page.Locator("#uploads li[data-status=rejected]")).ToContainTextAsync("swapped.pdf");
        await AssertCountsNowhereAsync(scenario, "swapped.pdf", "HashDiffersFromDeclared");
    }

    [Theory]
    [InlineData(Language.Ja, "ご提出のお願い", "ファイルをアップロードする", "English")]
    [InlineData(Language.En, "Request for information", "Upload a file", "日本語")]
    public async Task VendorPage_RendersItsKeyElements_InTheContactsLanguage(Language language, string heading, string uploadLabel, string switchTo)
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host, language);
        IPage page = await OpenAsync(scenario);

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(heading);
        await Assertions.Expect(page.Locator("label[for=file]")).ToHaveTextAsync(uploadLabel);
        await Assertions.Expect(page.Locator("#switch-language")).ToHaveTextAsync(switchTo);
        await Assertions.Expect(page.Locator("#submit")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#evidence-asked li")).ToHaveCountAsync(1);
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"vendor-{language.Code()}.png"), FullPage = true });

        await page.ClickAsync("#switch-language");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language == Language.Ja ? "en" : "ja");
    }

    [Fact]
    public async Task Vendor_Submits_AndTheLinkStopsWorking()
    {
        VendorScenario scenario = await VendorScenario.OpenAsync(host);
        IPage page = await OpenAsync(scenario);

        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();

        IResponse? again = await page.GotoAsync(new Uri(host.Address, scenario.PagePath).ToString());
        Assert.Equal(410, again!.Status);
        await Assertions.Expect(page.Locator("#what-to-do")).ToContainTextAsync("完了または取り下げ");
    }

    private static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    private async Task<IPage> OpenAsync(VendorScenario scenario)
    {
        IPage page = await browser.NewPageAsync();
        IResponse? response = await page.GotoAsync(new Uri(host.Address, scenario.PagePath).ToString());
        Assert.Equal(200, response!.Status);
        return page;
    }

    private async Task AssertCountsNowhereAsync(VendorScenario scenario, string fileName, string reason)
    {
        IReadOnlyList<EvidenceRecord> evidence = await EvidenceOfAsync(scenario);
        Assert.DoesNotContain(evidence, record => record.Status == nameof(EvidenceStatus.Accepted) && record.OriginalFileName == fileName);
        Assert.All(evidence.Where(record => record.OriginalFileName == fileName), record =>
        {
            Assert.Null(record.EvidenceBlobName);
            Assert.True(reason == record.RejectionReason || record.Status == nameof(EvidenceStatus.Quarantined), $"{record.Status} {record.RejectionReason}");
        });
        await foreach (var blob in Blobs().GetBlobContainerClient(EvidenceOptions.EvidenceContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, scenario.EngagementId + "/", CancellationToken.None))
            Assert.DoesNotContain(evidence, record => record.OriginalFileName == fileName && blob.Name.EndsWith(record.EvidenceId, StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<EvidenceRecord>> EvidenceOfAsync(VendorScenario scenario) =>
        await host.Services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Engagements)
            .ListByPrefixAsync<EvidenceRecord>(scenario.EngagementId, EvidenceRecord.KeyPrefix, CancellationToken.None);

    private BlobServiceClient Blobs() => host.Services.GetRequiredService<BlobServiceClient>();

    private BlobClient EvidenceBlob(string name) => Blobs().GetBlobContainerClient(EvidenceOptions.EvidenceContainer).GetBlobClient(name);

    private static byte[] Pdf(string text) => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");
}
