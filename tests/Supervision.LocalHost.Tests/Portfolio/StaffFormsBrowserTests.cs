using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Supervision.Domain.Contracts;
using Supervision.Domain.Selection;
using Supervision.Domain.Staff;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Reports;
using Supervision.LocalHost.Tests.Vendors;
using Supervision.Reports;
using Supervision.Security;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Portfolio;

/// <summary>
/// The staff console's forms in a real browser, each role at its daily work: a supervisor decides a selection by keyboard
/// alone and reviews a report; procurement starts an onboarding; an auditor downloads the trail and finds no form. Each
/// refusal of the API shows on the page with what was typed kept, and a post that is not the page's own (no token,
/// another user's, another site's) is refused with nothing written. The class has an Azurite of its own.
/// </summary>
/// <remarks>
/// In the browser lane, so that only one Chromium runs at a time; the class fixture still gives it a storage account of
/// its own (xUnit prefers a class fixture to a collection fixture of the same type).
/// </remarks>
[Collection(SharedAzurite.Browsers)]
public sealed partial class StaffFormsBrowserTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private EngagementDriver driver = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(azurite, "--Supervision:Requests:AnswerWithin=00:30:00", "--Supervision:Reports:PeriodLength=00:00:03");
        (playwright, browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await driver.DisposeAsync();
    }

    private Task<IBrowserContext> SignInAsync(string user, string role, string language) => browser.SignInAsync(user, role, language);

    private string Url(string path) => new Uri(driver.Host.Address, path).ToString();

    private async Task<string> UnderReviewAsync()
    {
        string id = await driver.StartEngagementAsync();
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail));
        await driver.StageAsync(id, "underReview");
        return id;
    }

    [Fact]
    public async Task Qa_1_4_ASupervisor_DecidesTheSelection_OnTheEngagementPage_ByKeyboardAlone_AfterATooShortReasonIsRefusedAndKept()
    {
        string id = await UnderReviewAsync();
        await using IBrowserContext supervisor = await SignInAsync("test-supervisor", "supervisor", "ja-JP");
        IPage page = await supervisor.NewPageAsync();
        await page.GotoAsync(Url($"/staff/engagements/{id}"));
        await Assertions.Expect(page.Locator("#score-percentage")).ToContainTextAsync("%");
        ILocator form = page.Locator("section[data-form='selection-decision']");
        await Assertions.Expect(form.Locator("h3")).ToHaveTextAsync("選定の判断");

        // Keyboard only: into the radio group, Space to choose, Tab to the reason, Tab to the button, Enter.
        await page.Locator("#selection-decision-approve-yes").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("短すぎる");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#selection-decision-problem")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#selection-decision-problem li[data-field='reason']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#selection-decision-reason")).ToHaveValueAsync("短すぎる");
        await Assertions.Expect(page.Locator("#selection-decision-approve-yes")).ToBeCheckedAsync();
        Assert.Null((await driver.StateAsync(id))["decision"]);

        const string Reason = "プライバシーマーク有効、管理責任者を指名済み。";
        await page.Locator("#selection-decision-reason").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(Reason);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        Assert.Contains("done=selection-decision", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("section[data-form='selection-decision']")).ToHaveCountAsync(0);
        JsonObject state = await driver.StateAsync(id);
        Assert.Equal("approved", (string?)state["decision"]!["outcome"]);
        JsonNode decided = Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "selection.decided")!;
        Assert.Equal("staff:test-supervisor", (string?)decided["actor"]);
        Assert.Equal(Reason, (string?)decided["details"]!["reason"]);
    }

    [Fact]
    public async Task Qa_1_6_ASupervisor_ReviewsASubmittedReport_FromTheBrowser_ASendBackWithoutReasonIsRefused_ThenAccepts()
    {
        var scenario = new ReportScenario(driver.Procurement, driver.Supervisor, driver.Outbox);
        await scenario.StartAsync(driver.Host.Services.GetRequiredService<EngagementStore>(), DateTimeOffset.UtcNow);
        string id = scenario.EngagementId;
        Assert.True(await driver.Host.Services.GetRequiredService<StartReporting>().StartAsync(driver.Host.Durable, new ReportingStart(id)));
        using HttpClient vendor = driver.Host.Anonymous();
        string requestId = (string)(await scenario.ReportAsync(1))["requestId"]!;
        await ReportScenario.SubmitAsync(vendor, await scenario.LinkOfMailAsync(requestId, "request"));
        await scenario.ReportAsync(1, status: "submitted");

        await using IBrowserContext supervisor = await SignInAsync("test-supervisor", "supervisor", "en-US");
        IPage page = await supervisor.NewPageAsync();
        await page.GotoAsync(Url($"/staff/engagements/{id}"));
        await Assertions.Expect(page.Locator("#reports tr[data-period='1'] .status")).ToHaveTextAsync("Waiting for review");
        ILocator review = page.Locator("#report-review-1");
        await Assertions.Expect(review.Locator("h3")).ToContainTextAsync("Report review");

        await review.GetByLabel("Send back (a reason is required)").CheckAsync();
        await review.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#report-review-1-problem li[data-field='reason']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#report-review-1-accept-no")).ToBeCheckedAsync();
        Assert.Equal("submitted", (string?)(await scenario.ReportAsync(1))["status"]);

        await page.Locator("#report-review-1").GetByLabel("Accept", new() { Exact = true }).CheckAsync();
        await page.Locator("#report-review-1 button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#reports tr[data-period='1'] .status")).ToHaveTextAsync("Accepted");
        JsonObject accepted = await scenario.ReportAsync(1, status: "accepted");
        Assert.Equal("test-supervisor", (string?)accepted["review"]!["by"]);
    }

    [Fact]
    public async Task Procurement_StartsAnOnboarding_FromTheBrowser_ARefusedDateRangeKeepsWhatWasTyped()
    {
        await using IBrowserContext procurement = await SignInAsync("test-procurement", "procurement", "en-US");
        IPage page = await procurement.NewPageAsync();
        await page.GotoAsync(Url("/staff/my-work"));
        await page.Locator("#nav-onboarding").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Start a contractor's selection");

        string contractor = $"Browser Printing {Guid.NewGuid():N}"[..28];
        await page.GetByLabel("Contractor's name").FillAsync(contractor);
        await page.GetByLabel("Contact's name").FillAsync("Taro Yamada");
        await page.GetByLabel("Contact's e-mail").FillAsync("yamada@example.co.jp");
        await page.GetByLabel("Language for the contact").SelectOptionAsync("en");
        await page.Locator("#purpose").FillAsync("DM printing");
        await page.GetByLabel("Items (one per line, or separated by commas)").FillAsync("name\naddress");
        await page.GetByLabel("Records").FillAsync("1200");
        await page.GetByLabel("Planned start").FillAsync("2027-04-01");
        await page.GetByLabel("Planned end").FillAsync("2027-03-31");
        await page.Locator("#onboard").ClickAsync();

        await Assertions.Expect(page.Locator("#problem li[data-field='plannedEnd']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel("Contractor's name")).ToHaveValueAsync(contractor);
        await Assertions.Expect(page.GetByLabel("Items (one per line, or separated by commas)")).ToHaveValueAsync("name\naddress");
        JsonObject none = (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/portfolio?contractor={Uri.EscapeDataString(contractor)}"))!;
        Assert.Empty(none["items"]!.AsArray());

        await page.GetByLabel("Planned end").FillAsync("2028-03-31");
        await page.Locator("#onboard").ClickAsync();
        await page.WaitForURLAsync(url => Regex.IsMatch(url, "/staff/engagements/[0-9a-f]{32}"));
        string id = Regex.Match(page.Url, "/staff/engagements/(?<id>[0-9a-f]{32})").Groups["id"].Value;
        await Assertions.Expect(page.Locator("#contractor")).ToHaveTextAsync(contractor);
        JsonObject state = await driver.StateAsync(id);
        Assert.Equal(contractor, (string?)state["request"]!["contractor"]!["name"]);
        JsonNode started = Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "engagement.started")!;
        Assert.Equal("staff:test-procurement", (string?)started["actor"]);
    }

    [Fact]
    public async Task AnAuditor_DownloadsTheTrailAsCsv_AndFindsNoFormOnTheEngagementPage()
    {
        string id = await UnderReviewAsync();
        await using IBrowserContext auditor = await SignInAsync("test-auditor", "auditor", "ja-JP");
        IPage page = await auditor.NewPageAsync();
        await page.GotoAsync(Url($"/staff/engagements/{id}"));

        await Assertions.Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form[method=post]")).ToHaveCountAsync(0);
        // The link is fetched as the browser's context would (its sign-in): headless Chromium cancels downloads here.
        IAPIResponse export = await page.APIRequest.GetAsync(Url((await page.Locator("#trail-csv").GetAttributeAsync("href"))!));
        Assert.Equal(200, export.Status);
        Assert.StartsWith("attachment", export.Headers["content-disposition"], StringComparison.Ordinal);
        byte[] csv = await export.BodyAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        string text = Encoding.UTF8.GetString(csv, 3, csv.Length - 3);
        Assert.Contains("selection.scored", text, StringComparison.Ordinal);

        await page.GotoAsync(Url("/staff/onboarding"));
        Assert.Equal(403, (await page.ReloadAsync())!.Status);
    }

    [Fact]
    public async Task Qa_7_2_ASupervisor_TakesTheEngagementOver_AndTerminatesIt_FromThePage_AndACloseItDoesNotOfferIsRefusedWithWhatIsMissing()
    {
        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);
        await CompleteContract.ActivateAsync(driver.Host, id);
        // An ISMS certificate to the 2013 edition, lapsed after the transition whatever it prints, and a Privacy Mark
        // inside its renewal window: the page says so by the domain's rules (Qa_1_3).
        DateOnly today = ActiveEngagements.Today;
        Certificate[] certificates =
        [
            new(CertificateKind.Isms, "ISO/IEC 27001:2013", today.AddYears(-2), today.AddYears(1)),
            new(CertificateKind.PrivacyMark, null, today.AddYears(-2), today.AddMonths(3)),
        ];
        await driver.Host.Services.GetRequiredService<EngagementStore>().UpdateAsync(id, row =>
        {
            row.Certificates = System.Text.Json.JsonSerializer.Serialize(certificates, Supervision.Http.ApiJson.Options);
            return true;
        }, CancellationToken.None);
        string Date(int days) => ActiveEngagements.Date(ActiveEngagements.Today.AddDays(days));
        using (HttpResponseMessage checkedOut = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/checkouts", new { itemDescription = "Application forms, batch 7", checkedOutOn = Date(-10), dueBack = Date(-3) }))
            Assert.Equal(HttpStatusCode.Accepted, checkedOut.StatusCode);

        await using IBrowserContext supervisor = await SignInAsync("test-supervisor", "supervisor", "en-US");
        IPage page = await supervisor.NewPageAsync();
        await page.GotoAsync(Url($"/staff/engagements/{id}"));
        await Assertions.Expect(page.Locator("#clauses li[data-confirmed='true']")).ToHaveCountAsync(ContractClauses.All.Count);
        await Assertions.Expect(page.Locator("#checkouts tr[data-late='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#certificates tr[data-status='lapsed'][data-expired='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#certificates tr[data-status='expiringSoon'][data-expired='false']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#supervisor")).ToHaveTextAsync("Unassigned");
        await page.Locator("#supervisor-assignment-supervisor").FillAsync("test-supervisor");
        await page.Locator("#supervisor-assignment-reason").FillAsync("Taking this contractor over from today.");
        await page.Locator("#supervisor-assignment-send").ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#supervisor")).ToHaveTextAsync("test-supervisor");

        await page.Locator("#termination-reason").FillAsync("The contractor is being replaced by a new printer.");
        await page.Locator("#termination-send").ClickAsync();

        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await driver.StageAsync(id, "closing");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#missing li")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("section[data-form='close']")).ToHaveCountAsync(0);

        // The close is not offered while a checkout is out (so the page has no form, nor a token to take); sent anyway
        // with a good token, the API's 409 is the page's message.
        using HttpClient client = WithoutRedirects("test-supervisor", "supervisor");
        string token = driver.Host.Services.GetRequiredService<StaffFormGuard>().Issue(new StaffUser("test-supervisor", new HashSet<StaffRole> { StaffRole.Supervisor }));
        using HttpResponseMessage refused = await client.PostAsync(
            $"/staff/engagements/{id}/forms/close?lang=en",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = token, ["reason"] = "Everything is back and certified, closing now." }));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("id=\"refused\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("closing", (string?)(await driver.StateAsync(id))["stage"]);
    }

    [Fact]
    public async Task AFormPost_WithoutItsToken_WithAnotherUsersToken_OrFromAnotherSite_IsRefused_AndWritesNothing()
    {
        string id = await UnderReviewAsync();
        string Form(string token) => $"csrf={Uri.EscapeDataString(token)}&approve=true&reason={Uri.EscapeDataString("A decision that must never be recorded.")}";
        async Task<string> TokenOfAsync(HttpClient client) =>
            CsrfToken().Match(await client.GetStringAsync($"/staff/engagements/{id}")).Groups["token"].Value;
        using HttpClient supervisor = WithoutRedirects("test-supervisor", "supervisor");
        using HttpClient other = WithoutRedirects("another-supervisor", "supervisor");
        string token = await TokenOfAsync(supervisor);
        Assert.NotEmpty(token);
        int trailBefore = (await driver.AuditAsync(id)).Count;

        async Task<HttpResponseMessage> PostAsync(string body, string? origin = null, string? fetchSite = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/staff/engagements/{id}/forms/selection-decision")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            if (origin is not null)
                request.Headers.Add("Origin", origin);
            if (fetchSite is not null)
                request.Headers.Add("Sec-Fetch-Site", fetchSite);
            return await supervisor.SendAsync(request);
        }

        foreach ((string why, Func<Task<HttpResponseMessage>> post) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("no token", () => PostAsync("approve=true&reason=A+decision+that+must+never+be+recorded.")),
            ("another user's token", async () => await PostAsync(Form(await TokenOfAsync(other)))),
            ("a token altered", () => PostAsync(Form(token[..^2] + (token[^2..] == "AA" ? "BB" : "AA")))),
            ("another site's page", () => PostAsync(Form(token), origin: "https://attacker.example")),
            ("a cross-site fetch", () => PostAsync(Form(token), fetchSite: "cross-site")),
        })
        {
            using HttpResponseMessage refused = await post();
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{why}: {refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // A body that is not the form it says it is, or is no form at all: 400 and 415, as problems.
        using (var multipart = new HttpRequestMessage(HttpMethod.Post, $"/staff/engagements/{id}/forms/selection-decision") { Content = new StringContent("csrf=" + token) })
        {
            multipart.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data");
            using HttpResponseMessage unreadable = await supervisor.SendAsync(multipart);
            Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
            Assert.Equal("application/problem+json", unreadable.Content.Headers.ContentType?.MediaType);
        }

        using (HttpResponseMessage json = await supervisor.PostAsync($"/staff/engagements/{id}/forms/selection-decision", EngagementDriver.Json("""{"approve":true}""")))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        Assert.Null((await driver.StateAsync(id))["decision"]);
        Assert.Equal(trailBefore, (await driver.AuditAsync(id)).Count);

        // The page's own token, from this site: recorded once, however often the same rendering is sent.
        string key = Guid.NewGuid().ToString("N");
        using (HttpResponseMessage first = await PostAsync(Form(token) + "&idempotencyKey=" + key, origin: driver.Host.Address.GetLeftPart(UriPartial.Authority)))
            Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        using (HttpResponseMessage again = await PostAsync(Form(token) + "&idempotencyKey=" + key))
            Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal("approved", (string?)(await driver.StateAsync(id))["decision"]!["outcome"]);
        Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "selection.decided");
    }

    [Fact]
    public async Task TheLocalSignInPage_SignsABrowserIn_WithTheRolesChosen_AndSaysItIsForDevelopment()
    {
        await using IBrowserContext context = await browser.NewContextAsync(new() { Locale = "en-US" });
        IPage page = await context.NewPageAsync();
        Assert.Equal(401, (await page.GotoAsync(Url("/staff/my-work")))!.Status);

        await page.GotoAsync(Url("/dev/sign-in"));
        await Assertions.Expect(page.Locator("#dev-sign-in")).ToBeVisibleAsync();
        await page.Locator("#user").FillAsync("hanako");
        await page.Locator("#role-supervisor").CheckAsync();
        await page.Locator("#sign-in").ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/staff/my-work", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#user")).ToHaveTextAsync("hanako");
        await Assertions.Expect(page.Locator("#roles")).ToHaveTextAsync("supervisor");
        await Assertions.Expect(page.Locator("#dev-sign-in")).ToBeVisibleAsync();

        using HttpClient anonymous = driver.Host.Anonymous();
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/dev/sign-in") { Content = new StringContent("user=mallory&roles=supervisor", Encoding.UTF8, "application/x-www-form-urlencoded") };
        forged.Headers.Add("Origin", "https://attacker.example");
        using HttpResponseMessage refused = await anonymous.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    /// <summary>A staff client that sees the 303 a form answers, rather than the page it sends the browser to.</summary>
    private HttpClient WithoutRedirects(string user, string roles)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = driver.Host.Address };
        client.DefaultRequestHeaders.Add(DevelopmentSignIn.UserHeader, user);
        client.DefaultRequestHeaders.Add(DevelopmentSignIn.RolesHeader, roles);
        return client;
    }

    [GeneratedRegex("""name="csrf" value="(?<token>[^"]+)""")]
    private static partial Regex CsrfToken();
}
