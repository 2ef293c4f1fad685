using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Mail;
using Supervision.LocalHost.Tests.Http;
using Supervision.Mail;
using Supervision.Storage;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Vendors;

/// <summary>
/// The "what we need from you" page in a real browser: from any link of a contact, every request the engagement has open
/// for that contact, each with a link of its own, and nothing asked of anyone else or under another engagement.
/// </summary>
[Collection(SharedAzurite.Browsers)]
public sealed class OpenRequestsPageBrowserTests(AzuriteFixture azurite, PerClass<RunningLocalHost> shared) : IClassFixture<PerClass<RunningLocalHost>>, IAsyncLifetime
{
    private static readonly MailAddressee SubcontractorContact = new("tanaka@minato-fuunyu.example.jp", "田中 一郎");
    private RunningLocalHost host = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        // Every test opens scenarios of its own in a page of its own: one host serves the class.
        host = await shared.GetAsync(() => RunningLocalHost.StartAsync(azurite));
        (playwright, browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    /// <summary>
    /// One engagement asking its contractor's contact three things (its selection questionnaire, the scenario's request, a
    /// report that is overdue), having withdrawn a fourth, and asking a subcontractor's contact one; and another
    /// engagement asking the same contractor's contact its own two.
    /// </summary>
    private sealed record Asked(
        VendorScenario Questionnaire, string SelectionTitle, IssuedLink Overdue, IssuedLink Withdrawn, IssuedLink OfTheSubcontractor, VendorScenario OtherEngagement);

    private async Task<Asked> AskAsync()
    {
        VendorScenario questionnaire = await VendorScenario.OpenAsync(host);
        string selectionTitle = await SelectionQuestionnaireTitleAsync(questionnaire);
        IssuedLink overdue = await OpenAsync(questionnaire.EngagementId, "作業状況の月次報告", "Monthly work report", DateTimeOffset.UtcNow.AddDays(-3));
        IssuedLink withdrawn = await OpenAsync(questionnaire.EngagementId, "取り下げられたご依頼", "A withdrawn request", DateTimeOffset.UtcNow.AddDays(7));
        await Requests.CloseAsync(questionnaire.EngagementId, withdrawn.RequestId, RequestStatus.Withdrawn, "test", CancellationToken.None);
        IssuedLink ofTheSubcontractor = await OpenAsync(
            questionnaire.EngagementId, "再委託先の誓約書", "The subcontractor's pledge", DateTimeOffset.UtcNow.AddDays(10), SubcontractorContact, subject: "tier-1");
        VendorScenario otherEngagement = await VendorScenario.OpenAsync(host);
        await SelectionQuestionnaireTitleAsync(otherEngagement);
        return new Asked(questionnaire, selectionTitle, overdue, withdrawn, ofTheSubcontractor, otherEngagement);
    }

    /// <summary>
    /// Starting the engagement opened its selection questionnaire to the contact too: waits for it (before anything else is
    /// opened under the engagement), answers its title.
    /// </summary>
    private async Task<string> SelectionQuestionnaireTitleAsync(VendorScenario scenario) =>
        (await Eventually.GetAsync(
            async () => (await Requests.ListOpenAsync(scenario.EngagementId, CancellationToken.None)).FirstOrDefault(request => request.RequestId != scenario.Link.RequestId),
            TimeSpan.FromSeconds(60),
            "the engagement's selection questionnaire to be opened")).TitleJa;

    private static async Task<string[]> ListedTitlesAsync(IPage page, int count)
    {
        ILocator links = page.Locator("#open-requests tbody tr").GetByRole(AriaRole.Link);
        await Assertions.Expect(links).ToHaveCountAsync(count);
        return [.. (await links.AllInnerTextsAsync()).Order()];
    }

    [Fact]
    public async Task WhatWeNeedPage_ListsOnlyTheRecipientsOpenRequests_OverdueFirst_AndLinksIntoEach()
    {
        Asked asked = await AskAsync();
        IPage page = await browser.NewPageAsync();
        Assert.Equal(200, (await page.GotoAsync(new Uri(host.Address, asked.Questionnaire.PagePath).ToString()))!.Status);

        await page.ClickAsync("#open-requests");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("ご対応いただきたいこと");
        Assert.Equal(new[] { "作業状況の月次報告", "委託先選定のための確認事項", asked.SelectionTitle }.Order(), await ListedTitlesAsync(page, 3));
        ILocator rows = page.Locator("#open-requests tbody tr");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("作業状況の月次報告");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("期限超過");
        await Assertions.Expect(page.Locator("#open-requests [data-status=overdue]")).ToHaveCountAsync(1);
        ILocator presented = page.Locator("#open-requests tr[aria-current=page]");
        Assert.Equal($"{asked.Questionnaire.PagePath}?lang=ja", await presented.GetByRole(AriaRole.Link).GetAttributeAsync("href"));

        // The overdue request's row links to the link its mail carried, signed again: each view mints no new credential.
        string? overdueHref = await rows.Nth(0).GetByRole(AriaRole.Link).GetAttributeAsync("href");
        Assert.Equal($"{asked.Overdue.Url.AbsolutePath}?lang=ja", overdueHref);
        await page.ReloadAsync();
        Assert.Equal(overdueHref, await page.Locator("#open-requests tbody tr").Nth(0).GetByRole(AriaRole.Link).GetAttributeAsync("href"));

        await rows.Nth(0).GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("#request-title")).ToHaveTextAsync("作業状況の月次報告");
        await page.GoBackAsync();
        await presented.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("#request-title")).ToHaveTextAsync("委託先選定のための確認事項");
    }

    [Fact]
    public async Task WhatWeNeedPage_IssuesAFreshLink_OnTheTrail_WhenNoLinkOfTheRequestServesLongEnough()
    {
        Asked asked = await AskAsync();
        TableClient links = host.Services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Engagements);
        await links.UpdateEntityAsync(
            new TableEntity(asked.Questionnaire.EngagementId, VendorLinkRecord.Key(asked.Overdue.LinkId)) { [nameof(VendorLinkRecord.Revoked)] = true }, ETag.All);
        IPage page = await browser.NewPageAsync();

        Assert.Equal(200, (await page.GotoAsync(new Uri(host.Address, $"{asked.Questionnaire.PagePath}/requests").ToString()))!.Status);

        ILocator overdue = page.Locator("#open-requests tbody tr").Nth(0).GetByRole(AriaRole.Link);
        await Assertions.Expect(overdue).ToHaveTextAsync("作業状況の月次報告");
        string? href = await overdue.GetAttributeAsync("href");
        Assert.NotEqual($"{asked.Overdue.Url.AbsolutePath}?lang=ja", href);
        using HttpClient supervisor = host.As("test-supervisor", "supervisor");
        JsonArray trail = (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{asked.Questionnaire.EngagementId}/audit"))!["entries"]!.AsArray();
        JsonNode issued = Assert.Single(trail, entry => (string?)entry!["action"] == AuditActions.RequestLinkIssued)!;
        Assert.Equal(AuditActors.VendorLink(asked.Questionnaire.Link.LinkId), (string?)issued["actor"]);
        Assert.Equal(asked.Overdue.RequestId, (string?)issued["details"]!["requestId"]);

        await overdue.ClickAsync();
        await Assertions.Expect(page.Locator("#request-title")).ToHaveTextAsync("作業状況の月次報告");
    }

    [Fact]
    public async Task WhatWeNeedPage_OfASubcontractorsLink_DoesNotListTheContractorsRequests()
    {
        Asked asked = await AskAsync();
        IPage page = await browser.NewPageAsync();

        IResponse? response = await page.GotoAsync(new Uri(host.Address, $"{asked.OfTheSubcontractor.Url.AbsolutePath}/requests?lang=en").ToString());

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("What we need from you");
        ILocator rows = page.Locator("#open-requests tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("The subcontractor's pledge");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Due diligence for contractor selection");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Monthly work report");
    }

    [Fact]
    public async Task WhatWeNeedPage_NeverListsAnotherEngagementsRequests_ForTheSameContact()
    {
        Asked asked = await AskAsync();
        IPage page = await browser.NewPageAsync();

        IResponse? response = await page.GotoAsync(new Uri(host.Address, $"{asked.OtherEngagement.PagePath}/requests").ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal(new[] { "委託先選定のための確認事項", asked.SelectionTitle }.Order(), await ListedTitlesAsync(page, 2));
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("作業状況の月次報告");
        await Assertions.Expect(page.Locator("#open-requests tr[aria-current=page] a")).ToHaveAttributeAsync("href", $"{asked.OtherEngagement.PagePath}?lang=ja");
    }

    [Fact]
    public async Task WhatWeNeedPage_AnswersTheLinkErrorPage_WhenTheLinkIsRevokedOrChanged()
    {
        Asked asked = await AskAsync();
        IPage page = await browser.NewPageAsync();

        IResponse? revoked = await page.GotoAsync(new Uri(host.Address, $"{asked.Withdrawn.Url.AbsolutePath}/requests").ToString());
        Assert.Equal(410, revoked!.Status);
        await Assertions.Expect(page.Locator("#what-to-do")).ToContainTextAsync("完了または取り下げ");

        string token = asked.Questionnaire.Token;
        string changed = $"{token[..^2]}{(token[^2] == 'A' ? 'B' : 'A')}{token[^1]}";
        IResponse? tampered = await page.GotoAsync(new Uri(host.Address, $"/vendor/{changed}/requests").ToString());
        Assert.InRange(tampered!.Status, 400, 403);
        await Assertions.Expect(page.Locator("#what-to-do")).ToBeVisibleAsync();
    }

    private VendorRequests Requests => host.Services.GetRequiredService<VendorRequests>();

    private Task<IssuedLink> OpenAsync(string engagementId, string titleJa, string titleEn, DateTimeOffset dueAt, MailAddressee? recipient = null, string? subject = null) =>
        Requests.OpenAsync(
            new NewVendorRequest(engagementId, "monthly-report", titleJa, titleEn, [], ["資料 / Documents"], Language.Ja, dueAt, Recipient: recipient, Subject: subject),
            CancellationToken.None);
}
