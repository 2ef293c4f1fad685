using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Supervision.LocalHost.Tests.Reports;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Engagements;

/// <summary>
/// What an active engagement says it waits for (<c>waitingOn</c>): the contractor for each request it has not answered,
/// a supervisor for each submitted report not yet reviewed. Reporting periods are compressed to seconds.
/// </summary>
[Collection(SharedAzurite.Workflows)]
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the test through IAsyncLifetime.DisposeAsync.")]
public sealed class ActiveEngagementWaitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(azurite, "--Supervision:Reports:PeriodLength=00:00:05", "--Supervision:Requests:AnswerWithin=00:10:00");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task Qa_1_6_ActiveEngagement_WaitsOnTheContractorForEachOpenRequest_ThenOnASupervisorForTheSubmittedReport()
    {
        ActiveEngagement engagement = await driver.ActiveEngagementAsync();
        string id = engagement.Id;
        string requestId = await Eventually.GetAsync(
            async () => (string?)(await ReportsAsync(id)).FirstOrDefault(report => (int)report!["period"]! == 1)?["requestId"],
            EngagementDriver.Patience,
            "period 1 to be requested");
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        JsonNode asked = Assert.Single(await WaitingOnAsync(id), entry => Items(entry).Contains($"periodic-report:{requestId}"));
        Assert.Equal("contractor", (string?)asked["who"]);
        Assert.NotNull(asked["dueAt"]);

        using (HttpClient vendor = driver.Host.Anonymous())
            await ReportScenario.SubmitAsync(vendor, token);

        JsonNode[] submitted = await Eventually.GetAsync(
            async () => await WaitingOnAsync(id) is { } waiting && waiting.Any(entry => Items(entry).Contains("report:1")) ? waiting : null,
            EngagementDriver.Patience,
            "report 1 to await its review");
        Assert.Equal("supervisor", (string?)Assert.Single(submitted, entry => Items(entry).Contains("report:1"))["who"]);
        Assert.DoesNotContain(submitted, entry => Items(entry).Contains($"periodic-report:{requestId}"));

        using (HttpResponseMessage accepted = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/reports/1/review", new { accept = true, reason = "Complete and consistent with the ledger." }))
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.DoesNotContain(await WaitingOnAsync(id), entry => Items(entry).Contains("report:1"));
    }

    private async Task<JsonArray> ReportsAsync(string id) =>
        (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/reports"))!["reports"]!.AsArray();

    private async Task<JsonNode[]> WaitingOnAsync(string id) => [.. (await driver.StateAsync(id))["waitingOn"]!.AsArray().Select(entry => entry!)];

    private static string[] Items(JsonNode waiting) => [.. (waiting["items"]?.AsArray() ?? []).Select(item => (string)item!)];
}
