using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>The audit trail over HTTP: what the first slice records, who may read it, and what its verification says.</summary>
[Collection(SharedAzurite.Http)]
public sealed class AuditApiTests(AzuriteFixture azurite, PerClass<RunningLocalHost> shared) : IClassFixture<PerClass<RunningLocalHost>>, IAsyncLifetime
{
    private const string Body = """
        {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"山田 太郎","email":"yamada@example.co.jp","preferredLanguage":"ja"},
         "purpose":"DM printing","datasets":[{"items":["name"],"recordCount":10,"isSensitive":false,"leakCausesSecondaryDamage":false}],
         "plannedStart":"2027-01-01","plannedEnd":"2027-02-01"}
        """;

    private RunningLocalHost host = null!;
    private HttpClient supervisor = null!;
    private HttpClient auditor = null!;

    public async Task InitializeAsync()
    {
        // Every test starts an engagement of its own and reads its trail: one host serves the class.
        host = await shared.GetAsync(() => RunningLocalHost.StartAsync(azurite));
        supervisor = host.As("test-supervisor", "supervisor");
        auditor = host.As("test-auditor", "auditor");
    }

    public Task DisposeAsync()
    {
        supervisor.Dispose();
        auditor.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ListAudit_ShowsTheStartByTheProcurementUser_ThenTheWorkflowsStageChange_ThenTheQuestionnaireSent()
    {
        string id = await StartEngagementAsync();

        JsonArray entries = await StageChangeRecordedAsync(id);

        Assert.Equal(["engagement.started", "engagement.stage-changed", "request.opened", "mail.sent"], entries.Select(entry => (string?)entry!["action"]));
        Assert.Equal(1, (long)entries[0]!["sequence"]!);
        Assert.Equal("engagement.started", (string?)entries[0]!["action"]);
        Assert.Equal("staff:test-procurement", (string?)entries[0]!["actor"]);
        Assert.Equal("株式会社サンプル印刷", (string?)entries[0]!["details"]!["contractor"]);
        Assert.Equal(new string('0', 64), (string?)entries[0]!["previousHash"]);
        Assert.Equal("engagement.stage-changed", (string?)entries[1]!["action"]);
        Assert.Equal("system", (string?)entries[1]!["actor"]);
        Assert.Equal("selectionRequested", (string?)entries[1]!["details"]!["stage"]);
        Assert.Equal((string?)entries[0]!["hash"], (string?)entries[1]!["previousHash"]);
    }

    [Fact]
    public async Task VerifyAudit_ReportsAnIntactChain_ToTheAuditor()
    {
        string id = await StartEngagementAsync();
        JsonArray entries = await StageChangeRecordedAsync(id);

        JsonObject verification = (await auditor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit/verification"))!;

        Assert.True((bool)verification["isIntact"]!, (string?)verification["reason"]);
        Assert.Equal(entries.Count, (int)verification["entryCount"]!);
        Assert.Null(verification["firstBrokenSequence"]);
        Assert.Equal((string?)entries[^1]!["hash"], (string?)verification["headHash"]);
    }

    [Fact]
    public async Task VerifyAudit_ReportsTheEditedEntry_WhenTheTableWasChangedDirectly()
    {
        string id = await StartEngagementAsync();
        await StageChangeRecordedAsync(id);
        TableEntity row = (await host.Engagements.GetEntityAsync<TableEntity>(id, Supervision.Audit.AuditLog.EntryRowKey(1))).Value;
        row["Actor"] = "staff:someone-else";
        await host.Engagements.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        JsonObject verification = (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit/verification"))!;

        Assert.False((bool)verification["isIntact"]!);
        Assert.Equal(1, (long)verification["firstBrokenSequence"]!);
        Assert.Null(verification["headHash"]);
    }

    [Fact]
    public async Task StartEngagement_RecordsOneStart_WhenTheSameIdempotencyKeyIsSentTwice()
    {
        string key = Guid.NewGuid().ToString();
        string id = await StartEngagementAsync(key);
        await StageChangeRecordedAsync(id);
        Assert.Equal(id, await StartEngagementAsync(key));

        JsonArray entries = (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit"))!["entries"]!.AsArray();

        Assert.Single(entries, entry => (string?)entry!["action"] == "engagement.started");
        Assert.Single(entries, entry => (string?)entry!["action"] == "request.opened");
    }

    [Theory]
    [InlineData("audit")]
    [InlineData("audit/verification")]
    public async Task AuditRoutes_Answer403_ToProcurement(string route)
    {
        string id = await StartEngagementAsync();

        using HttpResponseMessage response = await host.Http.GetAsync($"/api/engagements/{id}/{route}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", "audit")]
    [InlineData("0123456789abcdef0123456789abcdef", "audit/verification")]
    [InlineData("not-an-id", "audit")]
    [InlineData("not-an-id", "audit/verification")]
    public async Task AuditRoutes_Answer404ProblemDetails_WhenTheEngagementDoesNotExist(string id, string route)
    {
        using HttpResponseMessage response = await auditor.GetAsync($"/api/engagements/{id}/{route}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> StartEngagementAsync(string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/engagements") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>Waits until the workflow has asked for due diligence and mailed it: then it rests, waiting for the contractor.</summary>
    private Task<JsonArray> StageChangeRecordedAsync(string id) => Eventually.GetAsync(
        async () => (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit"))!["entries"]!.AsArray() is { } entries
            && entries.Any(entry => (string?)entry!["action"] == "mail.sent") ? entries : null,
        TimeSpan.FromSeconds(30),
        "the workflow to record its stage change and mail the questionnaire");
}
