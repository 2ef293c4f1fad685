using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Portfolio;

/// <summary>
/// Who supervises each engagement (1-6: supervise continuously): named at onboarding or assigned later, handed to
/// another supervisor with a reason, and the portfolio filtered by it following every change. Each test names its own
/// contractor and supervisors, so the shared Azurite's other engagements never match its filters.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class PortfolioSupervisorTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Reason = "Sato takes over the DM printers from April.";

    private EngagementDriver driver = null!;

    public async Task InitializeAsync() => driver = await EngagementDriver.StartAsync(azurite);

    public async Task DisposeAsync() => await driver.DisposeAsync();

    private static string Onboarding(string contractor, string? supervisor) => $$"""
        {"contractor":{"name":"{{contractor}}"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"en"},
         "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
         "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"{{(supervisor is null ? string.Empty : $",\"supervisor\":\"{supervisor}\"")}}}
        """;

    private async Task<string> StartAsync(string contractor, string? supervisor = null)
    {
        using HttpResponseMessage started = await driver.Procurement.PostAsync("/api/engagements", EngagementDriver.Json(Onboarding(contractor, supervisor)));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static Task<HttpResponseMessage> AssignAsync(HttpClient client, string id, string body) =>
        client.PutAsync($"/api/engagements/{id}/supervisor", EngagementDriver.Json(body));

    private static string Assignment(string supervisor, string reason = Reason) => new JsonObject { ["supervisor"] = supervisor, ["reason"] = reason }.ToJsonString();

    /// <summary>The ids the portfolio lists for <paramref name="query"/>, every page of it, as <paramref name="client"/> reads it.</summary>
    private static async Task<string[]> ListedAsync(HttpClient client, string query)
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            JsonObject page = (await client.GetFromJsonAsync<JsonObject>($"/api/portfolio?{query}&pageSize=2{(after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after))}"))!;
            ids.AddRange(page["items"]!.AsArray().Select(item => (string)item!["engagementId"]!));
            after = (string?)page["next"];
        }
        while (after is not null);
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    private static Task UntilListedAsync(HttpClient client, string query, params string[] expected) => Eventually.UntilAsync(
        async () => (await ListedAsync(client, query)).SequenceEqual(expected.Order(StringComparer.Ordinal)),
        EngagementDriver.Patience,
        $"the portfolio filtered by {query} to list exactly {string.Join(", ", expected)}");

    private async Task<int> AssignmentsOnTheTrailAsync(string id) =>
        (await driver.AuditAsync(id)).Count(entry => (string?)entry!["action"] == "engagement.supervisor-assigned");

    [Fact]
    public async Task Qa_1_6_ThePortfolio_IsFilteredBySupervisor_AndTheFilterFollowsEveryReassignment()
    {
        string tag = Guid.NewGuid().ToString("N")[..12];
        string sato = $"sato-{tag}@example.co.jp";
        string suzuki = $"suzuki-{tag}@example.co.jp";
        string contractor = $"株式会社監督者{tag}";
        string named = await StartAsync(contractor, sato);
        string later = await StartAsync(contractor);
        string nobody = await StartAsync(contractor);

        // Named at onboarding: the engagement says so, and so does the trail's first entry.
        JsonObject state = await driver.StateAsync(named);
        Assert.Equal(sato, (string?)state["supervisor"]!["name"]);
        Assert.Equal("test-procurement", (string?)state["supervisor"]!["assignedBy"]);
        Assert.Equal(sato, (string?)(await driver.AuditAsync(named)).First(entry => (string?)entry!["action"] == "engagement.started")!["details"]!["supervisor"]);
        Assert.Null((await driver.StateAsync(nobody))["supervisor"]);

        // Assigned later, by procurement, with the name in another case: one supervisor whatever the case.
        using (HttpResponseMessage assigned = await AssignAsync(driver.Procurement, later, Assignment(sato.ToUpperInvariant())))
        {
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
            Assert.Equal(sato.ToUpperInvariant(), (string?)(await assigned.Content.ReadFromJsonAsync<JsonObject>())!["name"]);
        }

        await UntilListedAsync(driver.Supervisor, $"supervisor={Uri.EscapeDataString(sato)}", named, later);
        using HttpClient asSato = driver.Host.As(sato, "supervisor");
        await UntilListedAsync(asSato, "supervisor=me", named, later);
        await UntilListedAsync(asSato, $"supervisor=ME&contractor={Uri.EscapeDataString(contractor)}&stage=selectionRequested", named, later);
        Assert.Empty(await ListedAsync(driver.Supervisor, "supervisor=me"));

        // Handed over to another supervisor: the filter follows, and the trail says who, from whom, and why.
        using (HttpResponseMessage reassigned = await AssignAsync(driver.Supervisor, named, Assignment(suzuki)))
            Assert.Equal(HttpStatusCode.OK, reassigned.StatusCode);
        await UntilListedAsync(driver.Supervisor, $"supervisor={Uri.EscapeDataString(sato)}", later);
        await UntilListedAsync(driver.Supervisor, $"supervisor={Uri.EscapeDataString(suzuki)}", named);
        JsonObject entry = (await driver.AuditAsync(named)).Single(entry => (string?)entry!["action"] == "engagement.supervisor-assigned")!.AsObject();
        Assert.Equal("staff:test-supervisor", (string?)entry["actor"]);
        Assert.Equal(suzuki, (string?)entry["details"]!["supervisor"]);
        Assert.Equal(sato, (string?)entry["details"]!["previous"]);
        Assert.Equal(Reason, (string?)entry["details"]!["reason"]);

        // The same assignment again (a retry, in another case) changes nothing and writes nothing.
        using (HttpResponseMessage again = await AssignAsync(driver.Supervisor, named, Assignment(suzuki.ToUpperInvariant(), "Retried after a time-out.")))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(suzuki, (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["name"]);
        }

        Assert.Equal(1, await AssignmentsOnTheTrailAsync(named));
        Assert.Equal(suzuki, (string?)(await driver.StateAsync(named))["supervisor"]!["name"]);

        // The list for a spreadsheet carries the supervisor, filtered the same way.
        using HttpClient auditor = driver.Host.As("test-auditor", "auditor");
        string csv = Encoding.UTF8.GetString(await auditor.GetByteArrayAsync($"/api/portfolio.csv?supervisor={Uri.EscapeDataString(suzuki)}"));
        string[] lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(",supervisor,", lines[0], StringComparison.Ordinal);
        Assert.Equal([named], lines[1..].Select(line => line.Split(',')[0]));
        Assert.Contains(suzuki, lines[1], StringComparison.Ordinal);

        // The staff page: the supervisor's column, and the filter kept in its field.
        string page = await asSato.GetStringAsync("/staff/portfolio?supervisor=me&lang=en");
        Assert.Contains($"data-engagement=\"{later}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-engagement=\"{named}\"", page, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"supervisor\">{sato.ToUpperInvariant()}</td>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"supervisor\" name=\"supervisor\" value=\"me\"", page, StringComparison.Ordinal);
        Assert.Contains(">Supervisor<", page, StringComparison.Ordinal);
        string japanese = await driver.Supervisor.GetStringAsync($"/staff/portfolio?contractor={Uri.EscapeDataString(contractor)}&lang=ja");
        Assert.Contains(">監督者<", japanese, StringComparison.Ordinal);
        Assert.Contains("未割当", japanese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssigningASupervisor_RefusesBadInput_NamingTheField_AndWritesNothing()
    {
        string id = await StartAsync($"株式会社監督者{Guid.NewGuid():N}"[..20]);
        (string Body, string Field)[] refused =
        [
            ("""{"reason":"Sato takes over from April."}""", "supervisor"),
            ("""{"supervisor":"  ","reason":"Sato takes over from April."}""", "supervisor"),
            ("""{"supervisor":"me","reason":"Sato takes over from April."}""", "supervisor"),
            ("""{"supervisor":"sato@example.co.jp\nBcc: x","reason":"Sato takes over from April."}""", "supervisor"),
            ($$"""{"supervisor":"{{new string('s', 257)}}","reason":"Sato takes over from April."}""", "supervisor"),
            ("""{"supervisor":"sato@example.co.jp"}""", "reason"),
            ("""{"supervisor":"sato@example.co.jp","reason":"short"}""", "reason"),
        ];
        foreach ((string body, string field) in refused)
        {
            using HttpResponseMessage response = await AssignAsync(driver.Supervisor, id, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal([field], (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(error => error.Key));
        }

        using (HttpResponseMessage unknownField = await AssignAsync(driver.Supervisor, id, """{"supervisor":"sato@example.co.jp","reason":"Sato takes over from April.","role":"admin"}"""))
            Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        using (HttpResponseMessage notJson = await driver.Supervisor.PutAsync($"/api/engagements/{id}/supervisor", new StringContent("sato", Encoding.UTF8, "text/plain")))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        using (HttpResponseMessage noEngagement = await AssignAsync(driver.Supervisor, EngagementIds.New(), Assignment("sato@example.co.jp")))
            Assert.Equal(HttpStatusCode.NotFound, noEngagement.StatusCode);
        using (HttpClient auditor = driver.Host.As("test-auditor", "auditor"))
        using (HttpResponseMessage byAuditor = await AssignAsync(auditor, id, Assignment("sato@example.co.jp")))
            Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);

        Assert.Null((await driver.StateAsync(id))["supervisor"]);
        Assert.Equal(0, await AssignmentsOnTheTrailAsync(id));
    }

    [Fact]
    public async Task Onboarding_RefusesASupervisorThatIsNoName_NamingTheField_AndStartsNothing()
    {
        string key = "supervisor-refused-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/engagements") { Content = EngagementDriver.Json(Onboarding("株式会社監督者なし", "me")) };
        request.Headers.Add(StaffInput.IdempotencyKeyHeader, key);

        using HttpResponseMessage refused = await driver.Procurement.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["supervisor"], (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(error => error.Key));
        string id = EngagementIds.FromIdempotencyKey("test-procurement", key);
        Assert.False((await driver.Host.Engagements.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(id, EngagementRecord.MainRowKey)).HasValue);
    }

    [Theory]
    [InlineData("supervisor=a&supervisor=b")]
    [InlineData("supervisor=sato%0A%40example.co.jp")]
    [InlineData("supervisor=%20")]
    public async Task ThePortfolio_RefusesASupervisorFilterThatIsNoName_NamingIt(string query)
    {
        using HttpResponseMessage refused = await driver.Supervisor.GetAsync($"/api/portfolio?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["supervisor"], (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(error => error.Key));
    }
}
