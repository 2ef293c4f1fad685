using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Supervision.Domain.Contracts;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Vendors;
using Supervision.Security;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Subcontracts;

/// <summary>
/// The staff page of an engagement's chain of subcontractors (7-2) in a real browser: a chain of three tiers built
/// through the API, data handed down it, then the page read by an auditor — each tier nested under the one above at
/// its depth, with its company, status, holdings and workers — and refused to a browser that is not signed in.
/// </summary>
[Collection(SharedAzurite.Browsers)]
public sealed class StaffChainPageBrowserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string ThirdCompany = "株式会社三次";

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
    public async Task Qa_7_2_AnAuditor_SeesTheChainAsANestedTree_WithEachTiersHoldingsAndWorkers()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.Delegated);
        string second = await chain.RequestAsync(SubcontractChain.Request(policy: "delegated"));
        await chain.HandOverAsync(null, ["氏名", "住所", "電話番号"], 1200, "yamada@example.co.jp");
        await chain.HandOverAsync(second, ["氏名", "住所"], 1000, SubcontractChain.SubcontractorEmail);
        string third = await chain.RequestAsync(SubcontractChain.Request(ThirdCompany, "sanji@example.co.jp", ["氏名"], policy: "delegated", parentTier: second));
        JsonObject contractor = (await chain.ChainAsync())["contractor"]!.AsObject();

        await using IBrowserContext signedIn = await browser.NewContextAsync(new()
        {
            ExtraHTTPHeaders = new Dictionary<string, string>
            {
                [DevelopmentSignIn.UserHeader] = "test-auditor",
                [DevelopmentSignIn.RolesHeader] = "auditor",
            },
        });
        IPage page = await signedIn.NewPageAsync();
        IResponse? opened = await page.GotoAsync(PageUrl(chain.Id));
        Assert.Equal(200, opened!.Status);
        Assert.Contains("text/html", await opened.HeaderValueAsync("content-type") ?? string.Empty, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Assertions.Expect(page.Locator("#tier-count")).ToHaveTextAsync("2");

        // One tree: the contractor at the top, the subcontractor under it, its own subcontractor under that.
        await Assertions.Expect(page.Locator("ul.chain > li.tier")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("li.tier")).ToHaveCountAsync(3);
        ILocator top = page.Locator("ul.chain > li.tier[data-tier=contractor][data-depth='1']");
        ILocator tier2 = top.Locator($"> ul.children > li.tier[data-tier='{second}'][data-depth='2']");
        ILocator tier3 = tier2.Locator($"> ul.children > li.tier[data-tier='{third}'][data-depth='3']");
        await Assertions.Expect(tier3).ToHaveCountAsync(1);

        // The contractor: its company and status as the JSON has them, everything handed to it.
        ILocator contractorCard = top.Locator("> article");
        await Assertions.Expect(contractorCard.Locator(".company")).ToHaveTextAsync((string)contractor["company"]!);
        await Assertions.Expect(contractorCard.Locator(".depth")).ToHaveTextAsync("第1層");
        await Assertions.Expect(contractorCard.Locator(".status")).ToHaveAttributeAsync("data-status", (string)contractor["status"]!);
        await Assertions.Expect(contractorCard.Locator(".holds li")).ToHaveTextAsync(["住所：1200 件", "氏名：1200 件", "電話番号：1200 件"]);
        await Assertions.Expect(contractorCard.Locator(".records-held")).ToHaveTextAsync("1200");

        // The second tier: in force, what was handed down to it, and who works on it, employed by whom.
        ILocator secondCard = tier2.Locator("> article");
        await Assertions.Expect(secondCard.Locator(".company")).ToHaveTextAsync(SubcontractChain.Subcontractor);
        await Assertions.Expect(secondCard.Locator(".depth")).ToHaveTextAsync("第2層");
        await Assertions.Expect(secondCard.Locator(".status")).ToHaveAttributeAsync("data-status", "inForce");
        await Assertions.Expect(secondCard.Locator(".status")).ToContainTextAsync("有効");
        await Assertions.Expect(secondCard.Locator(".policy")).ToHaveAttributeAsync("data-policy", "delegated");
        await Assertions.Expect(secondCard.Locator(".governed-by")).ToHaveAttributeAsync("data-policy", "delegated");
        await Assertions.Expect(secondCard.Locator(".work-site")).ToHaveTextAsync("埼玉県さいたま市 封入センター第2工場");
        await Assertions.Expect(secondCard.Locator(".holds li")).ToHaveTextAsync(["住所：1000 件", "氏名：1000 件"]);
        await Assertions.Expect(secondCard.Locator(".records-held")).ToHaveTextAsync("1000");
        await Assertions.Expect(secondCard.Locator(".workers li")).ToHaveCountAsync(3);
        ILocator agencyWorker = secondCard.Locator(".workers li[data-affiliation=staffingAgency]");
        await Assertions.Expect(agencyWorker.Locator(".name")).ToHaveTextAsync("中村 四郎");
        await Assertions.Expect(agencyWorker.Locator(".affiliation")).ToHaveTextAsync("派遣社員：株式会社サンプル派遣");
        await Assertions.Expect(agencyWorker.Locator(".trained")).ToHaveTextAsync("教育未受講");

        // The third tier: requested under the second, nothing handed to it yet.
        ILocator thirdCard = tier3.Locator("> article");
        await Assertions.Expect(thirdCard.Locator(".company")).ToHaveTextAsync(ThirdCompany);
        await Assertions.Expect(thirdCard.Locator(".depth")).ToHaveTextAsync("第3層");
        await Assertions.Expect(thirdCard.Locator(".holds li")).ToHaveCountAsync(0);
        await Assertions.Expect(thirdCard.Locator(".records-held")).ToHaveTextAsync("0");

        // The page's own style runs under its Content-Security-Policy nonce.
        Assert.Contains("style-src 'nonce-", await opened.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
        await Assertions.Expect(tier2.Locator("> ul.children")).ToHaveCSSAsync("border-left-style", "solid");

        IResponse? unknown = await page.GotoAsync(PageUrl(new string('0', 32)));
        Assert.Equal(404, unknown!.Status);
    }

    [Fact]
    public async Task Qa_7_2_TheChainPage_WithoutSigningIn_Answers401()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.Delegated);
        await chain.RequestAsync(SubcontractChain.Request(policy: "delegated"));

        IPage page = await browser.NewPageAsync();
        IResponse? opened = await page.GotoAsync(PageUrl(chain.Id));
        Assert.Equal(401, opened!.Status);
        await Assertions.Expect(page.Locator("li.tier")).ToHaveCountAsync(0);
    }

    private string PageUrl(string engagementId) => new Uri(driver.Host.Address, $"/staff/engagements/{engagementId}/chain").ToString();
}
