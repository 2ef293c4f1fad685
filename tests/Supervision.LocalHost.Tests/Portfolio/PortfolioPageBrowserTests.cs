using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Vendors;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Portfolio;

/// <summary>
/// The staff console's portfolio and my-work pages in a real browser: a supervisor finds the selection waiting for them,
/// in Japanese or English, filters the portfolio by keyboard alone; a filter the API refuses is a message on the page;
/// an auditor is told they decide nothing; every page says the sign-in is the local development one. The class has an
/// Azurite of its own, so the pages list only its engagements.
/// </summary>
/// <remarks>
/// In the browser lane, so that only one Chromium runs at a time; the class fixture still gives it a storage account of
/// its own (xUnit prefers a class fixture to a collection fixture of the same type).
/// </remarks>
[Collection(SharedAzurite.Browsers)]
public sealed class PortfolioPageBrowserTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private EngagementDriver driver = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(azurite);
        (playwright, browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await driver.DisposeAsync();
    }

    private Task<IBrowserContext> SignInAsync(string user, string role, string language) => browser.SignInAsync(user, role, language);

    private string Url(string path) => new Uri(driver.Host.Http.BaseAddress!, path).ToString();

    /// <summary>
    /// Where the pages' screenshots go: <c>SUPERVISION_SCREENSHOTS</c> when set (the README's come from a run with it set
    /// to docs/screenshots, on a machine with a CJK font such as fonts-noto-cjk), else beside the test assembly.
    /// </summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        string folder = Environment.GetEnvironmentVariable("SUPERVISION_SCREENSHOTS") is { Length: > 0 } chosen ? chosen : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
    }

    [Fact]
    public async Task Qa_1_4_ASupervisor_FindsTheSelectionWaitingInMyWork_InJapaneseThenEnglish_AndFiltersThePortfolioByKeyboard()
    {
        string id = await driver.StartEngagementAsync();
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail));
        await driver.StageAsync(id, "underReview");
        await Eventually.UntilAsync(
            async () => (await driver.Supervisor.GetFromJsonAsync<JsonObject>("/api/my-work?pageSize=200"))!["items"]!.AsArray().Any(item => (string?)item!["engagementId"] == id),
            EngagementDriver.Patience,
            "the selection to wait in the supervisor's work");

        await using IBrowserContext supervisor = await SignInAsync("test-supervisor", "supervisor", "ja-JP");
        IPage page = await supervisor.NewPageAsync();
        IResponse? opened = await page.GotoAsync(Url("/staff/my-work"));
        Assert.Equal(200, opened!.Status);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("本日の対応");
        await Assertions.Expect(page.Locator("#dev-sign-in")).ToBeVisibleAsync();
        ILocator row = page.Locator($"tr[data-engagement='{id}']");
        await Assertions.Expect(row.Locator(".decisions li")).ToHaveTextAsync(["選定の判断"]);
        await ScreenshotAsync(page, "my-work.ja.png");

        // One click to the engagement: its stage, and its trail verified, newest first.
        await row.Locator("a.open").ClickAsync();
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-stage", "underReview");
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("選定審査中");
        await Assertions.Expect(page.Locator("#trail-verification")).ToHaveAttributeAsync("data-intact", "true");
        await Assertions.Expect(page.Locator("#trail tr[data-action='selection.scored']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#dev-sign-in")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "engagement.ja.png");
        await page.Locator("#other-lang").ClickAsync();
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("Under review");
        await ScreenshotAsync(page, "engagement.en.png");
        await page.GoBackAsync();
        await page.GoBackAsync();

        // The other language, by keyboard: the link is reached with Tab and followed with Enter.
        await page.Locator("#other-lang").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("My work today");
        await Assertions.Expect(page.Locator($"tr[data-engagement='{id}'] .decisions li")).ToHaveTextAsync(["Selection decision"]);
        await ScreenshotAsync(page, "my-work.en.png");

        // The portfolio filtered to what is under review, with the keyboard only.
        await page.Locator("#nav-portfolio").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Contractor portfolio");
        await page.Locator("#stage").FocusAsync();
        await page.Locator("#stage").SelectOptionAsync("underReview");
        await page.Locator("#apply").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("stage=underReview", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator($"tr[data-engagement='{id}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tr[data-engagement]:not([data-stage='underReview'])")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#stage")).ToHaveValueAsync("underReview");
        await ScreenshotAsync(page, "portfolio.en.png");
        await page.Locator("#other-lang").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.Locator("#stage")).ToHaveValueAsync("underReview");
        await ScreenshotAsync(page, "portfolio.ja.png");
    }

    [Fact]
    public async Task AFilterTheApiRefuses_IsAMessageOnThePage_AndAnAuditorIsToldTheyDecideNothing()
    {
        await using IBrowserContext auditor = await SignInAsync("test-auditor", "auditor", "en-US");
        IPage page = await auditor.NewPageAsync();

        IResponse? refused = await page.GotoAsync(Url("/staff/portfolio?stage=paused&colour=red"));
        Assert.Equal(400, refused!.Status);
        await Assertions.Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#errors li[data-field]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#errors li[data-field='stage']")).ToContainTextAsync("must be one of");

        IResponse? work = await page.GotoAsync(Url("/staff/my-work"));
        Assert.Equal(200, work!.Status);
        await Assertions.Expect(page.Locator("#nothing-to-decide")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form[method=post]")).ToHaveCountAsync(0);

        await using IBrowserContext nobody = await browser.NewContextAsync();
        IResponse? anonymous = await (await nobody.NewPageAsync()).GotoAsync(Url("/staff/portfolio"));
        Assert.Equal(401, anonymous!.Status);
    }
}
