using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Contracts;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Engagements;

/// <summary>
/// The contract stage end to end (2-1, 2-2, 2-4): the contractor is asked for the signed contract and its agreement to
/// the split of responsibility, procurement records the handover terms, a supervisor confirms every clause against the
/// signed copy, and the engagement becomes active only when nothing is missing. Intervals are compressed to seconds.
/// </summary>
[Collection(SharedAzurite.Workflows)]
public sealed class ContractWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(
            azurite,
            "--Supervision:Requests:AnswerWithin=00:00:06",
            "--Supervision:Requests:ReminderInterval=00:00:03",
            "--Supervision:Requests:MaxReminders=1");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task Qa_2_1_Qa_2_2_Contract_IsCompleteOnlyWithEveryClauseTheTermsTheSignedCopyAndTheAgreedSplit_ThenTheEngagementIsActive()
    {
        string id = await driver.SelectedEngagementAsync();
        string token = await driver.LinkOfMailAsync(id, EngagementDriver.RequestMail);

        JsonObject asked = await driver.StateAsync(id);
        Assert.Equal(["contractor", "supervisor", "procurement"], Who(asked));
        Assert.Equal(14, asked["contract"]!["missing"]!.AsArray().Count);
        Assert.NotNull(asked["waitingOn"]![0]!["dueAt"]);
        using (HttpResponseMessage tooEarly = await driver.ConfirmClauseAsync(id, ContractClause.Confidentiality))
        {
            Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
            Assert.Contains("signed contract", await tooEarly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        string signedCopy = await driver.SubmitSignedContractAsync(token, agreeSplit: true);
        JsonObject signed = await Eventually.GetAsync(
            async () => await driver.StateAsync(id) is { } state && (string?)state["contract"]!["signedContractEvidenceId"] == signedCopy ? state : null,
            EngagementDriver.Patience,
            "the signed contract to be recorded");
        Assert.Equal(["supervisor", "procurement"], Who(signed));

        await driver.RecordTermsAsync(id);
        await driver.ConfirmClausesAsync(id, ContractClauses.All.SkipLast(1));

        JsonObject oneLeft = await driver.StateAsync(id);
        Assert.Equal("contractRequested", (string?)oneLeft["stage"]);
        JsonNode waiting = Assert.Single(oneLeft["waitingOn"]!.AsArray())!;
        Assert.Equal("supervisor", (string?)waiting["who"]);
        Assert.Equal(["clause:LeakReporting"], waiting["items"]!.AsArray().Select(item => (string)item!));

        using (HttpResponseMessage last = await driver.ConfirmClauseAsync(id, ContractClause.LeakReporting))
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        JsonObject active = await driver.StageAsync(id, "active");
        Assert.DoesNotContain("supervisor", Who(active));
        Assert.DoesNotContain("procurement", Who(active));
        // Once active, the engagement waits on each request the contractor has not answered: the first pledges and training plan.
        JsonObject asking = await Eventually.GetAsync(
            async () => await driver.StateAsync(id) is { } state && Items(state).Count(item => item.StartsWith("pledge:", StringComparison.Ordinal) || item.StartsWith("training-plan:", StringComparison.Ordinal)) == 2 ? state : null,
            EngagementDriver.Patience,
            "the pledge and training plan requests to be awaited");
        Assert.All(asking["waitingOn"]!.AsArray(), entry =>
        {
            Assert.Equal("contractor", (string?)entry!["who"]);
            Assert.NotNull(entry["dueAt"]);
        });
        Assert.Empty(active["contract"]!["missing"]!.AsArray());
        Assert.NotNull(active["contract"]!["completedAt"]);
        Assert.Equal("monthly", (string?)active["contract"]!["terms"]!["reporting"]!["frequency"]);
        JsonArray trail = await driver.AuditAsync(id);
        Assert.Equal(11, trail.Count(entry => (string?)entry!["action"] == "contract.clause-confirmed"));
        JsonNode submitted = Assert.Single(trail, entry => (string?)entry!["action"] == "contract.submitted")!;
        Assert.Equal("yes", (string?)submitted["details"]!["responsibilitySplitAgreed"]);
        Assert.Single(trail, entry => (string?)entry!["action"] == "contract.completed");
    }

    [Fact]
    public async Task Qa_2_3_Qa_2_4_DataIsHandedOverOnlyUnderTheCompleteContract_AndTheReceiverAcknowledgesIt()
    {
        // The whole path: questionnaire, a reminder with a fresh link that the contractor answers through, scoring,
        // approval with a reason, the contract, and a handover its receiver acknowledges.
        string id = await driver.StartEngagementAsync();
        await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.ReminderMail(1)));
        Assert.NotNull((await driver.StageAsync(id, "underReview"))["score"]);
        using (HttpResponseMessage approved = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: true, "Answers and evidence meet the criteria of 1-4."))
            Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        await driver.StageAsync(id, "contractRequested");
        JsonObject handover = Handover();
        using (HttpResponseMessage early = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/handovers", handover))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            JsonObject problem = (await early.Content.ReadFromJsonAsync<JsonObject>())!;
            string[] missing = [.. problem["missing"]!.AsArray().Select(gap => (string)gap!["code"]!)];
            Assert.Equal([.. ContractClauses.All.Select(HandoverGate.ClauseCode), HandoverGate.HandoverTermsCode, HandoverGate.ResponsibilitySplitCode, HandoverGate.SignedContractCode], missing);
        }

        await driver.SubmitSignedContractAsync(await driver.LinkOfMailAsync(id, EngagementDriver.RequestMail), agreeSplit: true);
        await Eventually.GetAsync(
            async () => await driver.StateAsync(id) is { } state && state["contract"]?["signedContractEvidenceId"] is not null ? state : null,
            EngagementDriver.Patience,
            "the signed contract to be recorded");
        await driver.RecordTermsAsync(id);
        await driver.ConfirmClausesAsync(id, ContractClauses.All);
        await driver.StageAsync(id, "active");

        using HttpResponseMessage recorded = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/handovers", handover);
        Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
        string handoverId = (string)(await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        string requestId = await Eventually.GetAsync(
            async () => (await HandoversAsync(id)).Single()!["acknowledgement"]?["requestId"]?.GetValue<string>(),
            EngagementDriver.Patience,
            "the acknowledgement request");
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        await driver.AnswerAsync(token, new JsonObject { ["handover.received-as-described"] = "yes", ["handover.records-received"] = "100" });
        await driver.SubmitAsync(token);

        JsonNode entry = await Eventually.GetAsync(
            async () => (await HandoversAsync(id)).SingleOrDefault(item => (string?)item!["id"] == handoverId && (string?)item!["acknowledgement"]!["status"] == "acknowledged"),
            EngagementDriver.Patience,
            "the receiver's acknowledgement");
        Assert.Equal("100", (string?)entry["acknowledgement"]!["recordsReceived"]);
    }

    [Fact]
    public async Task Qa_2_2_AContractorThatDoesNotAgreeTheSplit_IsAskedAgain_AndTheContractStaysIncomplete()
    {
        string id = await driver.SelectedEngagementAsync();
        string first = await driver.LinkOfMailAsync(id, EngagementDriver.RequestMail);

        await driver.SubmitSignedContractAsync(first, agreeSplit: false);

        await Eventually.GetAsync(
            () => Task.FromResult(driver.MailCount(id, EngagementDriver.RequestMail) == 2 ? (object)true : null),
            EngagementDriver.Patience,
            "a second contract request");
        JsonObject state = await driver.StateAsync(id);
        Assert.Equal("contractRequested", (string?)state["stage"]);
        JsonNode contractor = state["waitingOn"]!.AsArray().Single(entry => (string?)entry!["who"] == "contractor")!;
        Assert.Equal([HandoverGate.ResponsibilitySplitCode], contractor["items"]!.AsArray().Select(item => (string)item!));
    }

    [Fact]
    public async Task Qa_2_1_AnUnsignedContract_IsRemindedWithAFreshLink()
    {
        string id = await driver.SelectedEngagementAsync();
        string first = await driver.LinkOfMailAsync(id, EngagementDriver.RequestMail);

        string reminded = await driver.LinkOfMailAsync(id, EngagementDriver.ReminderMail(1));

        Assert.NotEqual(first, reminded);
    }

    [Fact]
    public async Task ContractChanges_WithBadInput_Answer4xx_AndChangeNothing()
    {
        string id = await driver.SelectedEngagementAsync();
        TableEntity before = (await driver.Host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;

        JsonObject incomplete = JsonNode.Parse(EngagementDriver.ContractTerms)!.AsObject();
        incomplete["terms"]!.AsObject().Remove("transferMethod");
        incomplete["terms"]!["incidentReporting"]!["notifyWithinHours"] = 72;
        incomplete["endsOn"] = "2027-03-31";
        using HttpResponseMessage badTerms = await driver.Procurement.PutAsync($"/api/engagements/{id}/contract/terms", EngagementDriver.Json(incomplete.ToJsonString()));
        using HttpResponseMessage unknownClause = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/contract/clauses/noSuchClause/confirmation", new { article = "第3条" });
        using HttpResponseMessage noArticle = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/contract/clauses/confidentiality/confirmation", new { article = " " });
        using HttpResponseMessage procurementConfirms = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/contract/clauses/confidentiality/confirmation", new { article = "第3条" });

        Assert.Equal(HttpStatusCode.BadRequest, badTerms.StatusCode);
        JsonObject errors = (await badTerms.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["endsOn", "terms.incidentReporting.notifyWithinHours", "terms.transferMethod"], errors.Select(error => error.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, unknownClause.StatusCode);
        Assert.Contains("leakReporting", await unknownClause.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noArticle.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, procurementConfirms.StatusCode);
        TableEntity after = (await driver.Host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;
        Assert.Equal(before.ETag, after.ETag);
    }

    [Fact]
    public async Task ContractTerms_BeforeTheSelectionIsApproved_Answer409()
    {
        string id = await driver.StartEngagementAsync();
        await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);

        using HttpResponseMessage early = await driver.Procurement.PutAsync($"/api/engagements/{id}/contract/terms", EngagementDriver.Json(EngagementDriver.ContractTerms));

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Qa_1_4_TheSameDecisionAgain_AfterTheWorkflowMissedIt_MovesTheWorkflowOn()
    {
        string id = await driver.StartEngagementAsync();
        await driver.AnswerDueDiligenceAndSubmitAsync(await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail));
        await driver.StageAsync(id, "underReview");
        const string reason = "Strong safeguards and a named manager.";
        // As if the first POST had recorded the decision and crashed before telling the workflow.
        TableEntity row = (await driver.Host.Engagements.GetEntityAsync<TableEntity>(id, "engagement")).Value;
        row["Decision"] = "approved";
        row["DecisionReason"] = reason;
        row["DecidedBy"] = "test-supervisor";
        await driver.Host.Engagements.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        using HttpResponseMessage other = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: false, "Changed my mind entirely about it.");
        using HttpResponseMessage again = await EngagementDriver.DecideAsync(driver.Supervisor, id, approve: true, reason);

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await driver.StageAsync(id, "contractRequested");
        OrchestrationMetadata? workflow = await driver.Host.Durable.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Running, workflow?.RuntimeStatus);
        // Every state change has its trail entry, on the retry path too.
        Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "selection.decided");
    }

    private static JsonObject Handover() => new()
    {
        ["dataItems"] = new JsonArray("name", "address"),
        ["recordCount"] = 100,
        ["medium"] = "onlineTransfer",
        ["transferMethod"] = "encryptedTransfer",
        ["senderName"] = "佐藤 花子",
        ["receiverName"] = "鈴木 一郎",
        ["receiverEmail"] = "suzuki@example.co.jp",
        ["handedOverOn"] = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<JsonArray> HandoversAsync(string id) =>
        (await driver.Procurement.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/handovers"))!["items"]!.AsArray();

    private static string[] Items(JsonObject state) => [.. state["waitingOn"]!.AsArray().SelectMany(entry => entry!["items"]?.AsArray() ?? []).Select(item => (string)item!)];

    private static string[] Who(JsonObject state) => [.. state["waitingOn"]!.AsArray().Select(entry => (string)entry!["who"]!)];
}
