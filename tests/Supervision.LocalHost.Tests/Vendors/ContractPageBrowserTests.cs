using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Vendors;

/// <summary>The contractor's part of the contract (2-1, 2-2) in a real browser: the link from the mail, the signed copy, the agreement.</summary>
[Collection(SharedAzurite.Browsers)]
public sealed class ContractPageBrowserTests(AzuriteFixture azurite) : IAsyncLifetime
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

    [Fact]
    public async Task Qa_2_2_TheContractor_UploadsTheSignedContract_AndAgreesTheSplit_InTheBrowser()
    {
        string id = await driver.SelectedEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.RequestMail);
        IPage page = await browser.NewPageAsync();

        IResponse? opened = await page.GotoAsync(new Uri(driver.Host.Address, $"/vendor/{token}").ToString());
        Assert.Equal(200, opened!.Status);
        await Assertions.Expect(page.Locator("#request-title")).ToHaveTextAsync("Signed contract and agreement to the split of responsibility");
        await page.CheckAsync("#q-responsibilitySplitAgreed-yes");
        await page.FillAsync("#q-signedOn", "2027-03-20");
        await page.ClickAsync("#answers button[type=submit]");
        await Assertions.Expect(page.Locator("#answers-status")).Not.ToBeEmptyAsync();
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "contract-signed.pdf", MimeType = "application/pdf", Buffer = EngagementDriver.SignedContractPdf });
        await Assertions.Expect(page.Locator("#uploads li[data-status=accepted]")).ToContainTextAsync("contract-signed.pdf");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();

        JsonObject state = await Eventually.GetAsync(
            async () => await driver.StateAsync(id) is { } now && now["contract"]?["responsibilitySplitAgreedAt"] is not null ? now : null,
            EngagementDriver.Patience,
            "the contractor's agreement to be recorded");
        Assert.NotNull((string?)state["contract"]!["signedContractEvidenceId"]);
        Assert.DoesNotContain(state["waitingOn"]!.AsArray(), entry => (string?)entry!["who"] == "contractor");
    }
}
