using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using MimeKit;
using Microsoft.DurableTask.Client;
using Supervision.LocalHost.Tests.Http;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Engagements;

/// <summary>
/// The selection stage end to end (1-4, 1-5): the questionnaire mailed with a signed link, reminders with a fresh link,
/// escalation when overdue, scoring of the answers, and the supervisor's reasoned decision. Intervals are compressed to seconds.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed partial class SelectionWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string outbox = Path.Combine(Path.GetTempPath(), "selection-outbox-" + Guid.NewGuid().ToString("N"));
    private RunningLocalHost host = null!;
    private HttpClient supervisor = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(outbox);
        host = await RunningLocalHost.StartAsync(
            azurite,
            $"--Supervision:Mail:OutboxDirectory={outbox}",
            "--Supervision:Requests:AnswerWithin=00:00:04",
            "--Supervision:Requests:ReminderInterval=00:00:02",
            "--Supervision:Requests:MaxReminders=1",
            "--Supervision:Requests:SupervisorEmail=supervisors@example.jp");
        supervisor = host.As("test-supervisor", "supervisor");
    }

    public async Task DisposeAsync()
    {
        supervisor.Dispose();
        await host.DisposeAsync();
        Directory.Delete(outbox, recursive: true);
    }

    [Fact]
    public async Task Qa_1_4_FavourableAnswers_AreScored_ThenTheSupervisorsApproval_RequestsTheContract()
    {
        string id = await StartEngagementAsync();
        string token = await LinkOfMailAsync(id, "dd.request");

        await AnswerAndSubmitAsync(token);
        JsonObject underReview = await StageAsync(id, "underReview");

        Assert.Equal("2027.1", (string?)underReview["criteriaVersion"]);
        // Every answer favourable; no certificate presented, so certification (14 of 100) earns nothing and tiers medium.
        Assert.Equal(86m, underReview["score"]!["percentage"]!.GetValue<decimal>());
        Assert.Equal("medium", (string?)underReview["riskTier"]);
        Assert.Equal("supervisor", (string?)underReview["waitingOn"]!["who"]);

        using HttpResponseMessage decided = await DecideAsync(supervisor, id, approve: true, "Answers and evidence meet the criteria of 1-4.");
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);

        JsonObject contract = await StageAsync(id, "contractRequested");
        Assert.Equal("approved", (string?)contract["decision"]!["outcome"]);
        Assert.Equal("test-supervisor", (string?)contract["decision"]!["decidedBy"]);
        JsonArray trail = await AuditAsync(id);
        JsonNode scored = Assert.Single(trail, entry => (string?)entry!["action"] == "selection.scored")!;
        Assert.False(string.IsNullOrEmpty((string?)scored["details"]!["evidenceIds"]));
        Assert.Single(trail, entry => (string?)entry!["action"] == "selection.decided");
    }

    [Fact]
    public async Task Qa_1_5_SilentContractor_IsRemindedWithANewLink_ThenEscalatedToTheSupervisors()
    {
        string id = await StartEngagementAsync();
        string first = await LinkOfMailAsync(id, "dd.request");

        string reminded = await LinkOfMailAsync(id, "*.reminder.1");
        Assert.NotEqual(first, reminded);

        await Eventually.GetAsync(
            async () => (await AuditAsync(id)).FirstOrDefault(entry => (string?)entry!["action"] == "request.escalated"),
            Patience,
            "the overdue questionnaire to be escalated");
        JsonObject state = (await host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}"))!;
        Assert.Equal("selectionRequested", (string?)state["stage"]);
        Assert.Equal("contractor", (string?)state["waitingOn"]!["who"]);
        Assert.Single(Directory.GetFiles(outbox, $"*-{id}.*.reminder.*.eml"));
        Assert.Single(Directory.GetFiles(outbox, $"*-{id}.*.escalation.eml"));
    }

    [Fact]
    public async Task Qa_1_4_Rejection_EndsTheEngagement_AndCompletesItsWorkflow()
    {
        string id = await StartEngagementAsync();
        await AnswerAndSubmitAsync(await LinkOfMailAsync(id, "dd.request"));
        await StageAsync(id, "underReview");

        using HttpResponseMessage decided = await DecideAsync(supervisor, id, approve: false, "No named manager and no access logs: not fit to handle the data.");
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);

        JsonObject rejected = await StageAsync(id, "rejected");
        Assert.Equal("rejected", (string?)rejected["decision"]!["outcome"]);
        OrchestrationMetadata workflow = await Eventually.GetAsync(
            async () => await host.Durable.GetInstanceAsync(id) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } done ? done : null,
            Patience,
            "the workflow to complete");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, workflow.RuntimeStatus);
    }

    [Fact]
    public async Task Qa_1_4_DecisionWithoutAWrittenReason_Answers400_AndChangesNothing_AndProcurementMayNotDecide()
    {
        string id = await StartEngagementAsync();
        await AnswerAndSubmitAsync(await LinkOfMailAsync(id, "dd.request"));
        await StageAsync(id, "underReview");
        TableEntity before = (await host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;

        using HttpResponseMessage missing = await supervisor.PostAsync($"/api/engagements/{id}/selection-decision", Json("""{"approve":true}"""));
        using HttpResponseMessage tooShort = await DecideAsync(supervisor, id, approve: true, "ok");
        using HttpResponseMessage procurement = await DecideAsync(host.Http, id, approve: true, "Procurement would like this contractor.");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, procurement.StatusCode);
        TableEntity after = (await host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;
        Assert.Equal(before.ETag, after.ETag);
        Assert.DoesNotContain(await AuditAsync(id), entry => (string?)entry!["action"] == "selection.decided");
    }

    [Fact]
    public async Task Qa_1_4_DecisionBeforeTheAnswersAreScored_Answers409()
    {
        string id = await StartEngagementAsync();
        await LinkOfMailAsync(id, "dd.request");

        using HttpResponseMessage early = await DecideAsync(supervisor, id, approve: true, "Looks fine to me without the answers.");

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, string id, bool approve, string reason) =>
        client.PostAsJsonAsync($"/api/engagements/{id}/selection-decision", new { approve, reason });

    private async Task<string> StartEngagementAsync()
    {
        const string body = """
            {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"en"},
             "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
             "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"}
            """;
        using HttpResponseMessage started = await host.Http.PostAsync("/api/engagements", Json(body));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>Waits for the outbox mail of key <c>{id}.{suffix}</c> and answers the token of the /vendor/ link it carries.</summary>
    private async Task<string> LinkOfMailAsync(string id, string suffix)
    {
        string file = await Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(outbox, $"*-{id}.{suffix}.eml").FirstOrDefault()),
            Patience,
            $"the {suffix} mail");
        using MimeMessage message = await MimeMessage.LoadAsync(file);
        Match link = VendorLink().Match(message.TextBody ?? string.Empty);
        Assert.True(link.Success, $"the {suffix} mail carries a /vendor/ link");
        return link.Groups["token"].Value;
    }

    private async Task AnswerAndSubmitAsync(string token)
    {
        var answers = new JsonObject
        {
            ["privacy-policy.published"] = "yes",
            ["management.organisation"] = "yes",
            ["management.manager-appointed"] = "yes",
            ["management.manager-name"] = "Taro Yamada, CISO",
            ["access.restricted"] = "yes",
            ["access.operations-defined"] = "yes",
            ["access-log.collected"] = "yes",
            ["access-log.reviewed"] = "yes",
            ["training.regular"] = "yes",
            ["audit.conducted"] = "yes",
            ["certification.held"] = "yes",
            ["safeguards.organisational"] = "yes",
            ["safeguards.physical"] = "yes",
            ["safeguards.technical"] = "yes",
            ["incidents.past-five-years"] = "no",
        };
        using HttpClient vendor = host.Anonymous();
        using HttpResponseMessage answered = await vendor.PostAsync($"/api/vendor/{token}/answers", Json(new JsonObject { ["answers"] = answers }.ToJsonString()));
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        using HttpResponseMessage submitted = await vendor.PostAsync($"/api/vendor/{token}/submit", Json("{}"));
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> StageAsync(string id, string stage)
    {
        try
        {
            return await Eventually.GetAsync(
                async () => await host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}") is { } state && (string?)state["stage"] == stage ? state : null,
                TimeSpan.FromSeconds(30),
                $"the engagement to reach {stage}");
        }
        catch (TimeoutException e)
        {
            OrchestrationMetadata? workflow = await host.Durable.GetInstanceAsync(id, getInputsAndOutputs: true);
            string trail = (await AuditAsync(id)).ToJsonString();
            throw new TimeoutException($"{e.Message} Workflow {workflow?.RuntimeStatus} {workflow?.SerializedCustomStatus} {workflow?.FailureDetails}; trail {trail}", e);
        }
    }

    private async Task<JsonArray> AuditAsync(string id) =>
        (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit"))!["entries"]!.AsArray();

    [GeneratedRegex(@"https?://[^\s""<>]+/vendor/(?<token>[^\s""<>]+)")]
    private static partial Regex VendorLink();
}
