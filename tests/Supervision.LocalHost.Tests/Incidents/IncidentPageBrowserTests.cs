using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Supervision.Incidents;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Vendors;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Incidents;

/// <summary>
/// The contractor's page for reporting an incident (6-1, 6-3) in a real browser, in Japanese and in English: the link
/// from the mail, the form filled as a contractor would (times typed in Japan time), a refusal while "happened at" is in
/// the future with nothing recorded, then the report recorded, judged by the rules, and the supervisors told at once.
/// </summary>
[Collection(SharedAzurite.Browsers)]
public sealed class IncidentPageBrowserTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    private EngagementDriver driver = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(azurite, "--Supervision:Requests:SupervisorEmail=supervisors@example.jp");
        (playwright, browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await driver.DisposeAsync();
    }

    /// <summary>What the contractor reports, in the page's language, and whether the rules make it reportable.</summary>
    private sealed record Filling(
        string Title,
        string Kind,
        string Description,
        string[] DataItems,
        int PeopleAffected,
        string? Carrier,
        bool Reportable);

    /// <summary>In Japanese, 1,500 misdelivered (more than the 1,000 of the rules: reportable); in English, 3 lost and nothing sensitive (not reportable).</summary>
    private static Filling For(string lang) => lang == "ja"
        ? new Filling(
            "個人情報の事故の報告",
            "misdelivery",
            "DM 1,500通を別の地域の宛先に誤配送。受取人からの電話で判明。",
            ["氏名", "住所"],
            1_500,
            "日本郵便",
            Reportable: true)
        : new Filling(
            "Report a personal data incident",
            "loss",
            "Three printed address labels went missing from the enclosing line; searched the site, not found.",
            ["氏名"],
            3,
            null,
            Reportable: false);

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public async Task Qa_6_1_TheContractor_ReportsAnIncident_InTheBrowser_RefusedWhileItHappensInTheFuture(string lang)
    {
        Filling filling = For(lang);

        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);
        using (HttpResponseMessage issued = await driver.Procurement.PostAsync($"/api/engagements/{id}/incident-links", EngagementDriver.Json("{}")))
            Assert.Equal(HttpStatusCode.Accepted, issued.StatusCode);
        string token = await driver.LinkOfMailAsync(id, $@"{StandingLinks.RequestId(id, IncidentEndpoints.LinkRequestKind, "contractor")}\.link\.[0-9a-f]{{32}}");

        IPage page = await browser.NewPageAsync();
        IResponse? opened = await page.GotoAsync(new Uri(driver.Host.Address, $"/vendor/{token}?lang={lang}").ToString());
        Assert.Equal(200, opened!.Status);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(filling.Title);
        await Assertions.Expect(page.Locator("#open-requests")).ToHaveAttributeAsync("href", $"/vendor/{token}/requests?lang={lang}");

        // The contract's data items, one checkbox each.
        Assert.Equal(CompleteContract.Terms().DataItems.Count, await page.Locator("#data-items input[type=checkbox]").CountAsync());

        // What happened, typed in Japan time; "happened at" mistyped as tomorrow.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string tomorrow = JapanMinute(now.AddDays(1));
        string happened = JapanMinute(now.AddHours(-3));
        string learned = JapanMinute(now.AddHours(-1));
        await page.SelectOptionAsync("#kind", filling.Kind);
        await page.FillAsync("#description", filling.Description);
        await page.FillAsync("#happened-at", tomorrow);
        await page.FillAsync("#learned-at", learned);
        foreach (string item in filling.DataItems)
            await page.Locator($"#data-items input[type=checkbox][value=\"{item}\"]").CheckAsync();
        await page.FillAsync("#people-affected", filling.PeopleAffected.ToString(CultureInfo.InvariantCulture));
        if (filling.Carrier is not null)
            await page.FillAsync("#carrier", filling.Carrier);
        foreach (string flag in (string[])["sensitive", "financial", "wrongful", "encrypted", "secrecy"])
            await page.CheckAsync($"#flag-{flag}-no");

        // In the future: refused, naming happenedAt and nothing else, and nothing recorded.
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#error-list li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#error-list")).ToContainTextAsync("happenedAt");
        await Assertions.Expect(page.Locator("#done")).ToBeHiddenAsync();
        Assert.Empty((await IncidentsAsync(id))["items"]!.AsArray());

        // The date put right: received.
        await page.FillAsync("#happened-at", happened);
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#errors")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#report")).ToBeHiddenAsync();

        JsonNode incident = Assert.Single((await IncidentsAsync(id))["items"]!.AsArray())!;
        JsonNode facts = incident["facts"]!;
        Assert.Equal(filling.Kind, (string?)facts["kind"]);
        Assert.Equal(filling.Description, (string?)facts["description"]);
        Assert.Equal(filling.PeopleAffected, (int)facts["peopleAffected"]!);
        Assert.Equal(filling.DataItems, facts["dataItems"]!.AsArray().Select(item => (string?)item));
        Assert.Equal(filling.Carrier, (string?)facts["carrier"]);
        Assert.Equal("contractor", (string?)facts["tier"]);
        Assert.Equal(JapanInstant(happened), DateTimeOffset.Parse((string)facts["happenedAt"]!, CultureInfo.InvariantCulture));
        Assert.Equal(JapanInstant(learned), DateTimeOffset.Parse((string)facts["reporterLearnedAt"]!, CultureInfo.InvariantCulture));
        Assert.False((bool)facts["sensitiveData"]!);
        Assert.False((bool)facts["stronglyEncrypted"]!);
        Assert.False((bool)facts["secrecyOfCommunications"]!);
        Assert.StartsWith("vendor-link:", (string?)incident["reportedBy"], StringComparison.Ordinal);
        Assert.False((bool)incident["noticeLate"]!);
        Assert.Equal(filling.Reportable, (bool)incident["judgement"]!["reportable"]!);
        if (filling.Reportable)
            Assert.Contains("more-than-threshold", incident["judgement"]!["reasons"]!.AsArray().Select(reason => (string?)reason));
        else
            Assert.Empty(incident["reports"]!.AsArray());

        string incidentId = (string)incident["id"]!;
        string[] told = await Eventually.GetAsync(
            () => Task.FromResult(driver.Mails(id, $@"incident\.{incidentId}\.reported") is { Length: > 0 } mails ? mails : null),
            EngagementDriver.Patience,
            "the supervisors' mail of the incident");
        Assert.NotEmpty(told);
    }

    /// <summary>An instant as a contractor in Japan types it into a datetime-local input.</summary>
    private static string JapanMinute(DateTimeOffset at) =>
        at.ToOffset(JapanOffset).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>What the page sends for <paramref name="typed"/>: the minute in Japan time.</summary>
    private static DateTimeOffset JapanInstant(string typed) =>
        DateTimeOffset.ParseExact(typed + ":00+09:00", "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private async Task<JsonObject> IncidentsAsync(string id)
    {
        using HttpResponseMessage response = await driver.Supervisor.GetAsync($"/api/engagements/{id}/incidents");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
