using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Kernel;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>The first slice end to end: real HTTP into the running local host, real tables, the real engine.</summary>
[Collection(SharedAzurite.Http)]
public sealed class EngagementApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningLocalHost host = null!;

    public async Task InitializeAsync() => host = await RunningLocalHost.StartAsync(azurite);

    public async Task DisposeAsync() => await host.DisposeAsync();

    public static TheoryData<string, string, string, HttpStatusCode> BadRequests => new()
    {
        { "missing fields", "application/json", "{}", HttpStatusCode.BadRequest },
        { "missing contact email", "application/json", ValidBody(body => body["contact"]!.AsObject().Remove("email")), HttpStatusCode.BadRequest },
        { "wrong type", "application/json", ValidBody(body => body["datasets"]![0]!["recordCount"] = "many"), HttpStatusCode.BadRequest },
        { "wrong date", "application/json", ValidBody(body => body["plannedStart"] = "next spring"), HttpStatusCode.BadRequest },
        { "unknown field", "application/json", ValidBody(body => body["budget"] = 5), HttpStatusCode.BadRequest },
        { "end before start", "application/json", ValidBody(body => body["plannedEnd"] = "2026-01-01"), HttpStatusCode.BadRequest },
        { "garbage JSON", "application/json", "{\"contractor\": {", HttpStatusCode.BadRequest },
        { "not an object", "application/json", "[1,2,3]", HttpStatusCode.BadRequest },
        { "wrong content type", "text/plain", ValidBody(), HttpStatusCode.UnsupportedMediaType },
        { "form post", "application/x-www-form-urlencoded", "contractor=x", HttpStatusCode.UnsupportedMediaType },
        { "oversize", "application/json", ValidBody(body => body["purpose"] = new string('x', 70_000)), HttpStatusCode.RequestEntityTooLarge },
        { "too large to record", "application/json", ValidBody(body => body["datasets"] = ManyItems()), HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task StartEngagement_AnswersProblemDetails_AndWritesNothing_WhenBodyIsBad(string because, string contentType, string body, HttpStatusCode expected)
    {
        int rowsBefore = await CountRowsAsync();

        using HttpResponseMessage response = await host.Http.PostAsync("/api/engagements", new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)));

        Assert.True(expected == response.StatusCode, $"{because}: expected {expected}, got {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonObject problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.Equal(rowsBefore, await CountRowsAsync());
    }

    [Fact]
    public async Task StartEngagement_NamesEveryBadField()
    {
        using HttpResponseMessage response = await PostAsync(ValidBody(body =>
        {
            body["contact"]!["email"] = "not-an-address";
            body["contractor"]!["corporateNumber"] = "1234567890123";
            body["datasets"]![0]!["recordCount"] = 0;
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonObject errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["contact.email", "contractor.corporateNumber", "datasets[0].recordCount"], errors.Select(error => error.Key).Order());
    }

    [Fact]
    public async Task StartEngagement_Answers202_RecordsTheEngagement_AndStartsItsWorkflow()
    {
        using HttpResponseMessage response = await PostAsync(ValidBody());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonObject accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        string id = (string)accepted["id"]!;
        Assert.Equal($"/api/engagements/{id}", response.Headers.Location?.ToString());
        Assert.Equal("received", (string?)accepted["stage"]);

        TableEntity row = (await host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;
        Assert.Equal("株式会社サンプル印刷", row.GetString("ContractorName"));

        OrchestrationMetadata? workflow = await host.Durable.GetInstanceAsync(id);
        Assert.NotNull(workflow);
        Assert.Equal("EngagementWorkflow", workflow.Name);

        JsonObject view = await Eventually.GetAsync(
            async () => await host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}") is { } state
                && (string?)state["stage"] == "selectionRequested"
                && (string?)state["workflow"]?["runtimeStatus"] == "Running" ? state : null,
            TimeSpan.FromSeconds(30),
            "the running workflow to request selection");
        Assert.Equal("ja", (string?)view["request"]!["contact"]!["preferredLanguage"]);
        Assert.Equal(12_000, (int)view["request"]!["totalRecords"]!);
    }

    [Fact]
    public async Task StartEngagement_StartsOneEngagement_WhenTheSameIdempotencyKeyIsSentTwice()
    {
        string key = Guid.NewGuid().ToString();
        using HttpResponseMessage first = await PostAsync(ValidBody(), key);
        using HttpResponseMessage second = await PostAsync(ValidBody(), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        string id = (string)(await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal(id, (string)(await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        Assert.Equal(1, await CountAsync(host.Engagements.QueryAsync<TableEntity>(row => row.PartitionKey == id && row.RowKey == EngagementRecord.MainRowKey)));
        IReadOnlyList<AuditEntry> trail = await host.Services.GetRequiredService<AuditLog>().ListAsync(id, CancellationToken.None);
        Assert.Single(trail, entry => entry.Action == AuditActions.EngagementStarted);
    }

    [Fact]
    public async Task StartEngagement_Answers409_AndChangesNothing_WhenAnIdempotencyKeyIsReusedForAnotherRequest()
    {
        string key = Guid.NewGuid().ToString();
        using HttpResponseMessage first = await PostAsync(ValidBody(), key);
        string id = (string)(await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        using HttpResponseMessage reused = await PostAsync(ValidBody(body => body["purpose"] = "Something else"), key);

        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        TableEntity row = (await host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;
        Assert.Contains("DM printing", row.GetString("Request"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-an-id")]
    public async Task GetEngagement_Answers404ProblemDetails_WhenItDoesNotExist(string id)
    {
        using HttpResponseMessage response = await host.Http.GetAsync($"/api/engagements/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_Answers200_WhenStorageAndEngineAreReachable()
    {
        JsonObject health = (await host.Http.GetFromJsonAsync<JsonObject>("/api/health"))!;

        Assert.Equal("Healthy", (string?)health["status"]);
        Assert.Equal(["engine", "storage"], health["checks"]!.AsArray().Select(check => (string)check!["name"]!).Order());
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/engagements") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return host.Http.SendAsync(request);
    }

    private Task<int> CountRowsAsync() => CountAsync(host.Engagements.QueryAsync<TableEntity>(select: ["PartitionKey"]));

    private static async Task<int> CountAsync(IAsyncEnumerable<TableEntity> rows)
    {
        int count = 0;
        await foreach (TableEntity _ in rows)
            count++;
        return count;
    }

    /// <summary>Within the 64 KiB body limit and every field limit, but more than a table row can hold.</summary>
    private static JsonArray ManyItems() => new([.. Enumerable.Range(0, 40).Select(dataset => (JsonNode)new JsonObject
    {
        ["name"] = $"set {dataset}",
        ["items"] = new JsonArray([.. Enumerable.Range(0, 100).Select(item => (JsonNode)$"item-{item:D3}")]),
        ["recordCount"] = 10,
        ["isSensitive"] = false,
        ["leakCausesSecondaryDamage"] = false,
    })]);

    private static string ValidBody(Action<JsonNode>? change = null)
    {
        JsonNode body = JsonNode.Parse("""
            {
              "contractor": { "name": "株式会社サンプル印刷", "corporateNumber": "7000012050002" },
              "contact": { "name": "山田 太郎", "email": "yamada@example.co.jp", "preferredLanguage": "ja" },
              "purpose": "DM printing",
              "datasets": [ { "name": "customers", "items": ["name", "address"], "recordCount": 12000, "isSensitive": false, "leakCausesSecondaryDamage": false } ],
              "plannedStart": "2027-01-01",
              "plannedEnd": "2027-12-31"
            }
            """)!;
        change?.Invoke(body);
        return body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
