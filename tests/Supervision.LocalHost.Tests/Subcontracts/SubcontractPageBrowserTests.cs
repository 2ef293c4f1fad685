using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Supervision.Domain.Contracts;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Vendors;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Subcontracts;

/// <summary>
/// The contractor's page for requesting a subcontractor (3-2, 7-2) in a real browser, in Japanese and in English: the
/// link from the mail, the form filled as a contractor would, a refusal while an obligation is not passed on, then the
/// request recorded in the chain awaiting the principal's approval.
/// </summary>
[Collection(SharedAzurite.Browsers)]
public sealed class SubcontractPageBrowserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The clause left unticked on the first submit.</summary>
    private const ContractClause Forgotten = ContractClause.LeakReporting;

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

    /// <summary>What the contractor types, in the page's language.</summary>
    private sealed record Filling(
        string Title,
        string Company,
        string ContactName,
        string ContactEmail,
        string Work,
        string WorkSite,
        string ManagerName,
        string ManagerRole,
        string WorkerName,
        string WorkerRole,
        string Agency);

    private static Filling For(string lang) => lang == "ja"
        ? new Filling(
            "再委託先の申請",
            "株式会社みなと封入サービス",
            "高橋 一郎",
            "takahashi@minato-fuunyu.example.jp",
            "ダイレクトメールの封入・封緘",
            "横浜市港北区の封入センター",
            "高橋 一郎",
            "作業責任者",
            "伊藤 さくら",
            "封入作業者",
            "株式会社ハマ人材派遣")
        : new Filling(
            "Request a subcontractor",
            "Harbour Mailing Services Ltd.",
            "Jane Smith",
            "jane.smith@harbour-mailing.example.com",
            "Enclosing and sealing the direct mail",
            "Harbour Mailing enclosing centre, Yokohama",
            "Jane Smith",
            "Site manager",
            "Tom Baker",
            "Enclosing operator",
            "Yokohama Staffing Inc.");

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task Qa_3_2_TheContractor_RequestsASubcontractor_InTheBrowser_RefusedUntilEveryClauseIsPassedOn(string lang)
    {
        Filling filling = For(lang);
        string[] itemsTicked = ["氏名", "住所"];

        string id = await driver.StartEngagementAsync();
        await CompleteContract.SetAsync(
            driver.Host,
            id,
            ContractClauses.All,
            CompleteContract.Terms() with { Subcontracting = SubcontractPolicy.PriorApproval },
            splitAgreed: true,
            CompleteContract.SignedContractEvidenceId);
        using (HttpResponseMessage issued = await driver.Procurement.PostAsync($"/api/engagements/{id}/subcontract-links", EngagementDriver.Json("{}")))
            Assert.Equal(HttpStatusCode.Accepted, issued.StatusCode);
        string token = await driver.LinkOfMailAsync(id, @"[0-9a-f]{32}\.link\.[0-9a-f]{32}");

        IPage page = await browser.NewPageAsync();
        IResponse? opened = await page.GotoAsync(new Uri(driver.Host.Address, $"/vendor/{token}?lang={lang}").ToString());
        Assert.Equal(200, opened!.Status);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(filling.Title);
        await Assertions.Expect(page.Locator("#open-requests")).ToHaveAttributeAsync("href", $"/vendor/{token}/requests?lang={lang}");

        // The subcontractor and the work.
        await page.FillAsync("#sub-name", filling.Company);
        await page.FillAsync("#contact-name", filling.ContactName);
        await page.FillAsync("#contact-email", filling.ContactEmail);
        await page.SelectOptionAsync("#contact-language", lang);
        await page.FillAsync("#work", filling.Work);
        await page.FillAsync("#work-site", filling.WorkSite);
        await page.FillAsync("#planned-start", "2027-02-01");
        await page.FillAsync("#planned-end", "2027-06-30");
        foreach (string item in itemsTicked)
            await page.Locator($"#data-items input[type=checkbox][value=\"{item}\"]").CheckAsync();

        // Every obligation passed on but one; the subcontractor may subcontract only with prior approval.
        Assert.Equal(ContractClauses.All.Count, await page.Locator("#clauses input[type=checkbox]").CountAsync());
        foreach (ContractClause clause in ContractClauses.All.Where(clause => clause != Forgotten))
            await page.Locator($"#clauses input[type=checkbox][value=\"{clause}\"]").CheckAsync();
        await page.SelectOptionAsync("#policy", "priorApproval");

        // How the work is done: the steps, a manager of the subcontractor, a worker from a staffing agency.
        await page.Locator("#steps input[value=receive]").CheckAsync();
        await page.Locator("#steps input[value=enclose]").CheckAsync();
        await page.Locator("#steps input[value=returnOrErase]").CheckAsync();
        ILocator manager = page.Locator("#manager .person");
        await manager.Locator("[data-field=name]").FillAsync(filling.ManagerName);
        await manager.Locator("[data-field=role]").FillAsync(filling.ManagerRole);
        await manager.Locator("[data-field=affiliation]").SelectOptionAsync("thisTier");
        await manager.Locator("[data-field=trained]").CheckAsync();
        ILocator worker = page.Locator("#workers .person").First;
        await worker.Locator("[data-field=name]").FillAsync(filling.WorkerName);
        await worker.Locator("[data-field=role]").FillAsync(filling.WorkerRole);
        await worker.Locator("[data-field=affiliation]").SelectOptionAsync("staffingAgency");
        await worker.Locator("[data-field=employerName]").FillAsync(filling.Agency);
        await worker.Locator("[data-field=trained]").CheckAsync();
        await page.SelectOptionAsync("#work-location", "subcontractorSite");
        await page.SelectOptionAsync("#access-log-review", "weekly");
        await page.SetInputFilesAsync("#signed-subcontract", new FilePayload { Name = "subcontract-signed.pdf", MimeType = "application/pdf", Buffer = EngagementDriver.SignedContractPdf });

        // One obligation not passed on: refused, naming it, and nothing recorded.
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#error-list")).ToContainTextAsync("clausesPassedOn");
        await Assertions.Expect(page.Locator("#error-list")).ToContainTextAsync(Forgotten.ToString());
        await Assertions.Expect(page.Locator("#done")).ToBeHiddenAsync();
        JsonObject refused = await ChainAsync(id);
        Assert.Empty(refused["contractor"]!["children"]!.AsArray());

        // Ticked and submitted again: received, awaiting the principal's approval.
        await page.Locator($"#clauses input[type=checkbox][value=\"{Forgotten}\"]").CheckAsync();
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#done-status")).ToHaveTextAsync("AwaitingApproval");
        await Assertions.Expect(page.Locator("#errors")).ToBeHiddenAsync();

        JsonObject chain = await Eventually.GetAsync(
            async () => await ChainAsync(id) is { } now && now["contractor"]!["children"]!.AsArray().Count > 0 ? now : null,
            EngagementDriver.Patience,
            "the subcontractor in the chain");
        JsonArray children = chain["contractor"]!["children"]!.AsArray();
        JsonNode child = Assert.Single(children)!;
        Assert.Equal(filling.Company, (string?)child["company"]);
        Assert.Equal(2, (int)child["depth"]!);
        Assert.Equal("awaitingApproval", (string?)child["status"]);
        Assert.Equal("priorApproval", (string?)child["policy"]);
        Assert.Equal(itemsTicked, child["dataItemsAllowed"]!.AsArray().Select(item => (string?)item));
        Assert.Equal(filling.Work, (string?)child["work"]);
        Assert.Equal(filling.WorkSite, (string?)child["workSite"]);
        Assert.NotNull((string?)child["signedSubcontractEvidenceId"]);
        JsonNode statement = child["workStatement"]!;
        Assert.Equal(filling.ManagerName, (string?)statement["manager"]!["name"]);
        Assert.Equal("thisTier", (string?)statement["manager"]!["affiliation"]);
        JsonNode firstWorker = Assert.Single(statement["workers"]!.AsArray())!;
        Assert.Equal(filling.WorkerName, (string?)firstWorker["name"]);
        Assert.Equal("staffingAgency", (string?)firstWorker["affiliation"]);
        Assert.Equal(filling.Agency, (string?)firstWorker["employerName"]);
        Assert.Equal(["receive", "enclose", "returnOrErase"], statement["processSteps"]!.AsArray().Select(step => (string?)step));
        Assert.Equal("subcontractorSite", (string?)statement["workLocation"]);
        Assert.False((bool)statement["homePcAllowed"]!);
        Assert.Equal("weekly", (string?)statement["accessLogReview"]);
    }

    private async Task<JsonObject> ChainAsync(string id)
    {
        using HttpResponseMessage response = await driver.Supervisor.GetAsync($"/api/engagements/{id}/chain");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
