using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Audit;
using Supervision.Domain.Engagements;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.Sweep;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Portfolio;

/// <summary>
/// The portfolio (1-6: supervise continuously) read from its index: after a mixed workload it says of every engagement
/// what the engagement's own state says, filters and pages it, refuses a filter it does not know, and a row that fell
/// behind its trail (a refresh lost in a crash) is brought back by the sweep. The class has an Azurite of its own: the
/// sweep it runs reads every engagement there is.
/// </summary>
public sealed class PortfolioTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync() => driver = await EngagementDriver.StartAsync(azurite, "--Supervision:Requests:AnswerWithin=00:30:00");

    public async Task DisposeAsync() => await driver.DisposeAsync();

    private static string Date(int daysFromToday) => ActiveEngagements.Date(ActiveEngagements.Today.AddDays(daysFromToday));

    /// <summary>An engagement of a contractor named for this test alone, so the portfolio can be filtered to this test's.</summary>
    private async Task<string> StartAsync(string contractor)
    {
        string body = $$"""
            {"contractor":{"name":"{{contractor}}"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"en"},
             "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
             "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"}
            """;
        using HttpResponseMessage started = await driver.Procurement.PostAsync("/api/engagements", EngagementDriver.Json(body));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<JsonObject[]> PortfolioAsync(string query)
    {
        var items = new List<JsonObject>();
        string? after = null;
        do
        {
            JsonObject page = (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/portfolio?{query}&pageSize=2{(after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after))}"))!;
            items.AddRange(page["items"]!.AsArray().Select(item => item!.AsObject()));
            after = (string?)page["next"];
        }
        while (after is not null);
        return [.. items];
    }

    private async Task<string> StageAsync(string id) => (string)(await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}"))!["stage"]!;

    [Fact]
    public async Task Qa_1_6_ThePortfolio_SaysOfEveryEngagementWhatItsOwnStateSays_AfterAMixedWorkload_MostOverdueFirst()
    {
        string contractor = $"株式会社ポートフォリオ{Guid.NewGuid():N}"[..24];
        string selecting = await StartAsync(contractor);
        string late = await StartAsync(contractor);
        string ending = await StartAsync(contractor);
        foreach (string id in (string[])[late, ending])
        {
            await CompleteContract.ApplyAsync(driver.Host, id);
            await CompleteContract.ActivateAsync(driver.Host, id);
        }

        using (HttpResponseMessage checkedOut = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{late}/checkouts", new { itemDescription = "Application forms, batch 7", checkedOutOn = Date(-10), dueBack = Date(-3) }))
            Assert.Equal(HttpStatusCode.Accepted, checkedOut.StatusCode);
        using (HttpResponseMessage checkedOut = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{ending}/checkouts", new { itemDescription = "DM proofs", checkedOutOn = Date(-2), dueBack = Date(-1) }))
            Assert.Equal(HttpStatusCode.Accepted, checkedOut.StatusCode);
        using (HttpResponseMessage ended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{ending}/termination", new { reason = "The contractor is being replaced." }))
            Assert.Equal(HttpStatusCode.Accepted, ended.StatusCode);

        string[] ours = [selecting, late, ending];
        JsonObject[] listed = await Eventually.GetAsync(
            async () =>
            {
                JsonObject[] items = await PortfolioAsync($"contractor={Uri.EscapeDataString(contractor)}");
                foreach (string id in ours)
                {
                    if (items.SingleOrDefault(item => (string?)item["engagementId"] == id) is not { } item || (string?)item["stage"] != await StageAsync(id))
                        return null;
                }

                return items;
            },
            EngagementDriver.Patience,
            "the portfolio to follow every engagement's state");

        Assert.Equal(ours.Order(), listed.Select(item => (string)item["engagementId"]!).Order());
        Assert.Equal([late, ending, selecting], listed.Select(item => (string)item["engagementId"]!));
        JsonObject lateOne = listed[0];
        Assert.Equal(3, (int)lateOne["daysOverdue"]!);
        Assert.Equal(["checkout"], lateOne["overdue"]!.AsArray().Select(kind => (string?)kind));
        Assert.Equal("closing", (string?)listed[1]["stage"]);

        JsonObject[] closing = await PortfolioAsync($"contractor={Uri.EscapeDataString(contractor)}&stage=closing");
        Assert.Equal([ending], closing.Select(item => (string)item["engagementId"]!));
        JsonObject[] checkoutsLate = await PortfolioAsync($"contractor={Uri.EscapeDataString(contractor)}&overdue=checkout");
        Assert.Equal([late, ending], checkoutsLate.Select(item => (string)item["engagementId"]!));

        // The same list for a spreadsheet: auditors and supervisors only, UTF-8 with a BOM, as filtered.
        using (HttpResponseMessage refused = await driver.Procurement.GetAsync($"/api/portfolio.csv?contractor={Uri.EscapeDataString(contractor)}"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using HttpClient auditor = driver.Host.As("test-auditor", "auditor");
        using HttpResponseMessage csv = await auditor.GetAsync($"/api/portfolio.csv?contractor={Uri.EscapeDataString(contractor)}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        byte[] body = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], body[..3]);
        string[] lines = System.Text.Encoding.UTF8.GetString(body[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("engagementId,contractorName,stage", lines[0], StringComparison.Ordinal);
        Assert.Equal([late, ending, selecting], lines[1..].Select(line => line.Split(',')[0]));
        Assert.Contains(contractor, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSweep_BringsAPortfolioRowThatFellBehindItsTrail_BackToTheEngagementsOwnState()
    {
        // A change committed with its trail entry, then a crash before the refresh it marked: the trail is written by a
        // log that tells no follower, and nothing else moves this engagement (rejected, no workflow).
        string contractor = $"株式会社追随{Guid.NewGuid():N}"[..20];
        string id = EngagementIds.New();
        await driver.Host.Engagements.AddEntityAsync(new EngagementRecord
        {
            PartitionKey = id,
            ContractorName = contractor,
            Stage = nameof(EngagementStage.Rejected),
            Request = "{}",
            RequestHash = "test",
            CreatedAt = DateTimeOffset.UtcNow,
            StageChangedAt = DateTimeOffset.UtcNow,
        });
        await driver.Host.Services.GetRequiredService<EngagementRegistry>().RegisterAsync(id, CancellationToken.None);
        TableServiceClient tables = driver.Host.Services.GetRequiredService<TableServiceClient>();
        await new AuditLog(tables, TimeProvider.System).AppendAsync(id, "staff:test-supervisor", "selection.decided", new Dictionary<string, string> { ["decision"] = "reject" }, CancellationToken.None);
        Assert.Empty(await PortfolioAsync($"contractor={Uri.EscapeDataString(contractor)}"));

        SweepReport report = await driver.Host.Services.GetRequiredService<DailySweep>().RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);
        SweepReport again = await driver.Host.Services.GetRequiredService<DailySweep>().RunAsync(driver.Host.Durable, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Contains(id, report.FollowersCaughtUp!);
        Assert.DoesNotContain(id, again.FollowersCaughtUp!);
        JsonObject item = Assert.Single(await PortfolioAsync($"contractor={Uri.EscapeDataString(contractor)}"));
        Assert.Equal(id, (string?)item["engagementId"]);
        Assert.Equal("rejected", (string?)item["stage"]);
    }

    [Fact]
    public async Task MyWork_ListsWhatWaitsForTheCallersDecision_UntilItIsDecided_AndNothingForAnAuditor()
    {
        string id = await StartAsync($"株式会社判断待ち{Guid.NewGuid():N}"[..20]);
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail));
        await driver.StageAsync(id, "underReview");

        JsonObject waiting = await Eventually.GetAsync(
            async () => (await MyWorkAsync(driver.Supervisor)).SingleOrDefault(item => (string?)item["engagementId"] == id),
            EngagementDriver.Patience,
            "the selection decision to wait in the supervisor's work");
        Assert.Equal(["selection"], waiting["decisions"]!.AsArray().Select(decision => (string?)decision));
        Assert.DoesNotContain(await MyWorkAsync(driver.Procurement), item => (string?)item["engagementId"] == id);
        using (HttpClient auditor = driver.Host.As("test-auditor", "auditor"))
            Assert.Empty(await MyWorkAsync(auditor));

        using (HttpResponseMessage decided = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: true, "Strong safeguards and a named manager."))
            Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);
        await Eventually.UntilAsync(
            async () => (await MyWorkAsync(driver.Supervisor)).All(item => (string?)item["engagementId"] != id),
            EngagementDriver.Patience,
            "the decided selection to leave the supervisor's work");
    }

    private static async Task<JsonObject[]> MyWorkAsync(HttpClient client)
    {
        var items = new List<JsonObject>();
        string? after = null;
        do
        {
            JsonObject page = (await client.GetFromJsonAsync<JsonObject>($"/api/my-work?pageSize=50{(after is null ? string.Empty : "&after=" + Uri.EscapeDataString(after))}"))!;
            items.AddRange(page["items"]!.AsArray().Select(item => item!.AsObject()));
            after = (string?)page["next"];
        }
        while (after is not null);
        return [.. items];
    }

    [Theory]
    [InlineData("colour=red", "colour")]
    [InlineData("stage=Paused", "stage")]
    [InlineData("stage=3", "stage")]
    [InlineData("overdue=lunch", "overdue")]
    [InlineData("sort=contractorName", "sort")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("after=20270101%7Cnot-an-id", "after")]
    [InlineData("stage=Active&stage=Closing", "stage")]
    public async Task ThePortfolio_RefusesAFilterItDoesNotKnow_NamingIt(string query, string field)
    {
        using HttpResponseMessage refused = await driver.Supervisor.GetAsync($"/api/portfolio?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(error => error.Key));
    }
}
