using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Engagements;

/// <summary>
/// The selection stage end to end (1-4, 1-5): the questionnaire mailed with a signed link, reminders with a fresh link,
/// escalation when overdue, scoring of the answers, and the supervisor's reasoned decision. Intervals are compressed to seconds.
/// </summary>
[Collection(SharedAzurite.Workflows)]
public sealed class SelectionWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = EngagementDriver.Patience;

    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(
            azurite,
            "--Supervision:Requests:AnswerWithin=00:00:04",
            "--Supervision:Requests:ReminderInterval=00:00:02",
            "--Supervision:Requests:MaxReminders=1",
            "--Supervision:Requests:SupervisorEmail=supervisors@example.jp");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task Qa_1_4_FavourableAnswers_AreScored_ThenTheSupervisorsApproval_RequestsTheContract()
    {
        string id = await driver.StartEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);

        await driver.AnswerDueDiligenceAndSubmitAsync(token);
        JsonObject underReview = await driver.StageAsync(id, "underReview");

        Assert.Equal("2027.1", (string?)underReview["criteriaVersion"]);
        // Every answer favourable; no certificate presented, so certification (14 of 100) earns nothing and tiers medium.
        Assert.Equal(86m, underReview["score"]!["percentage"]!.GetValue<decimal>());
        Assert.Equal("medium", (string?)underReview["riskTier"]);
        Assert.Equal("supervisor", (string?)underReview["waitingOn"]![0]!["who"]);

        using HttpResponseMessage decided = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: true, "Answers and evidence meet the criteria of 1-4.");
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);

        JsonObject contract = await driver.StageAsync(id, "contractRequested");
        Assert.Equal("approved", (string?)contract["decision"]!["outcome"]);
        Assert.Equal("test-supervisor", (string?)contract["decision"]!["decidedBy"]);
        JsonArray trail = await driver.AuditAsync(id);
        JsonNode scored = Assert.Single(trail, entry => (string?)entry!["action"] == "selection.scored")!;
        Assert.False(string.IsNullOrEmpty((string?)scored["details"]!["evidenceIds"]));
        Assert.Single(trail, entry => (string?)entry!["action"] == "selection.decided");
    }

    [Fact]
    public async Task Qa_1_5_AValidPrivacyMark_IsScored_AndTheContractorTiersLow()
    {
        string id = await driver.StartEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow);
        var certificate = new JsonObject
        {
            ["certification.privacy-mark.issued"] = today.AddMonths(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["certification.privacy-mark.expires"] = today.AddMonths(-3).AddYears(2).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };

        await driver.AnswerDueDiligenceAndSubmitAsync(token, certificate);
        JsonObject underReview = await driver.StageAsync(id, "underReview");

        Assert.Equal(100m, underReview["score"]!["percentage"]!.GetValue<decimal>());
        Assert.Equal("low", (string?)underReview["riskTier"]);
    }

    [Fact]
    public async Task Qa_1_4_StaffReadTheCriteriaInForce_AndTheEngagementRecordsTheVersionItWasJudgedAgainst()
    {
        JsonObject criteria = (await driver.Host.Http.GetFromJsonAsync<JsonObject>("/api/selection-criteria"))!;
        string id = await driver.StartEngagementAsync();
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail));
        JsonObject underReview = await driver.StageAsync(id, "underReview");

        Assert.Equal((string?)criteria["version"], (string?)underReview["criteriaVersion"]);
        Assert.Equal(100, (int)criteria["maxScore"]!);
        Assert.Equal(9, criteria["criteria"]!.AsArray().Count);
        Assert.Contains(criteria["criteria"]!.AsArray(), criterion => (string?)criterion!["kind"] == "certification" && (int)criterion["weight"]! == 14);
    }

    [Fact]
    public async Task Qa_1_5_SilentContractor_IsRemindedWithANewLink_ThenEscalatedToTheSupervisors()
    {
        string id = await driver.StartEngagementAsync();
        string first = await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);

        string reminded = await driver.LinkOfMailAsync(id, EngagementDriver.ReminderMail(1));
        Assert.NotEqual(first, reminded);

        await Eventually.GetAsync(
            async () => (await driver.AuditAsync(id)).FirstOrDefault(entry => (string?)entry!["action"] == "request.escalated"),
            Patience,
            "the overdue questionnaire to be escalated");
        JsonObject state = (await driver.Host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}"))!;
        Assert.Equal("selectionRequested", (string?)state["stage"]);
        Assert.Equal("contractor", (string?)state["waitingOn"]![0]!["who"]);
        Assert.Single(driver.Mails(id, @"[0-9a-f]{32}\.reminder\.\d+"));
        Assert.Single(driver.Mails(id, @"[0-9a-f]{32}\.escalation"));
    }

    [Fact]
    public async Task Qa_1_4_Rejection_EndsTheEngagement_AndCompletesItsWorkflow()
    {
        string id = await driver.StartEngagementAsync();
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail));
        await driver.StageAsync(id, "underReview");

        using HttpResponseMessage decided = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: false, "No named manager and no access logs: not fit to handle the data.");
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);

        JsonObject rejected = await driver.StageAsync(id, "rejected");
        Assert.Equal("rejected", (string?)rejected["decision"]!["outcome"]);
        OrchestrationMetadata workflow = await Eventually.GetAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(id) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } done ? done : null,
            Patience,
            "the workflow to complete");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, workflow.RuntimeStatus);
    }

    [Fact]
    public async Task Qa_1_4_DecisionWithoutAWrittenReason_Answers400_AndChangesNothing_AndProcurementMayNotDecide()
    {
        string id = await driver.StartEngagementAsync();
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail));
        await driver.StageAsync(id, "underReview");
        TableEntity before = (await driver.Host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;

        using HttpResponseMessage missing = await driver.Supervisor.PostAsync($"/api/engagements/{id}/selection-decision", EngagementDriver.Json("""{"approve":true}"""));
        using HttpResponseMessage tooShort = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: true, "ok");
        using HttpResponseMessage procurement = await EngagementDriver.DecideAsync(driver.Host.Http, id, approve: true, "Procurement would like this contractor.");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, procurement.StatusCode);
        TableEntity after = (await driver.Host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;
        Assert.Equal(before.ETag, after.ETag);
        Assert.DoesNotContain(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "selection.decided");
    }

    [Fact]
    public async Task Qa_1_4_DecisionBeforeTheAnswersAreScored_Answers409()
    {
        string id = await driver.StartEngagementAsync();
        await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);

        using HttpResponseMessage early = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: true, "Looks fine to me without the answers.");

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
    }
}
