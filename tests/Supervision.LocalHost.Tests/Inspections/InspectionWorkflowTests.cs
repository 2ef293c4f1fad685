using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Inspections;

/// <summary>
/// Inspections while the work runs (1-6): findings become corrective actions with owners and due dates, chased until a
/// supervisor closes them with accepted evidence. Reminder intervals are compressed to seconds; the overdue action is
/// given a due date already past, so the first reminder goes at once.
/// </summary>
[Collection(SharedAzurite.Monitoring)]
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the test through IAsyncLifetime.DisposeAsync.")]
public sealed class InspectionWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(
            azurite,
            "--Supervision:Requests:AnswerWithin=00:00:30",
            "--Supervision:Requests:ReminderInterval=00:00:03",
            "--Supervision:Requests:MaxReminders=2",
            "--Supervision:Requests:SupervisorEmail=supervisors@example.jp");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task Qa_1_6_AnOverdueCorrectiveAction_IsRemindedAndEscalated_UntilClosedWithEvidence_ThenTheChaseStops()
    {
        ActiveEngagement engagement = await driver.ActiveEngagementAsync();
        string id = engagement.Id;
        DateOnly today = ActiveEngagements.Today;
        string inspectionId = await RecordInspectionAsync(id, "unannounced", today.AddDays(-5));

        using HttpResponseMessage found = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/inspections/{inspectionId}/findings", new
        {
            findings = new object[]
            {
                new { description = "Backup tapes are kept in an unlocked cabinet.", severity = "major", owner = "山田 太郎", dueOn = ActiveEngagements.Date(today.AddDays(-1)) },
                new { description = "The visitor log misses two entries.", severity = "minor" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        JsonArray actions = (await found.Content.ReadFromJsonAsync<JsonObject>())!["actions"]!.AsArray();
        JsonNode overdue = actions.Single(action => (string?)action!["severity"] == "major")!;
        JsonNode minor = actions.Single(action => (string?)action!["severity"] == "minor")!;
        string actionId = (string)overdue["actionId"]!;
        Assert.Equal("山田 太郎", (string?)overdue["owner"]);
        Assert.Equal(ActiveEngagements.Date(today.AddDays(-5 + 90)), (string?)minor["dueOn"]);
        Assert.Equal("山田 太郎", (string?)minor["owner"]); // the contractor's responsible person of the contract's terms

        string reportLink = await driver.LinkOfMailAsync(id, $@"{actionId}\.overdue\.1");
        await MailAsync(id, $@"{actionId}\.escalation");
        Assert.Single(driver.Mails(id, $@"{ReportRequestId(id, actionId, 1)}\.request"));
        Assert.Empty(driver.Mails(id, $@"{(string)minor["actionId"]!}\.overdue\.\d+"));
        JsonObject chased = await Eventually.GetAsync(
            async () => await ListAsync(id) is { } list && Action(list, actionId)["escalatedAt"] is not null ? list : null,
            EngagementDriver.Patience,
            "the escalation to be recorded");
        Assert.Equal(2, (int)chased["openActions"]!);
        Assert.Equal(1, (int)chased["overdueActions"]!);
        JsonNode chasedAction = Action(chased, actionId);
        Assert.True((bool)chasedAction["overdue"]!);
        Assert.True((int)chasedAction["remindersSent"]! >= 2);

        using HttpResponseMessage closed = await CloseAsync(id, inspectionId, actionId, new { note = "Cabinet replaced with a locked one; key log started.", evidenceIds = new[] { engagement.SignedContractEvidenceId } });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        string instance = $"{id}-action-{actionId}";
        await Eventually.UntilAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(instance) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed },
            EngagementDriver.Patience,
            "the chase to end");
        int reminders = driver.MailCount(id, $@"{actionId}\.overdue\.\d+");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(reminders, driver.MailCount(id, $@"{actionId}\.overdue\.\d+"));
        Assert.Equal(1, driver.MailCount(id, $@"{actionId}\.escalation"));

        using (HttpClient contractor = driver.Host.Anonymous())
        using (HttpResponseMessage withdrawn = await contractor.GetAsync($"/vendor/{reportLink}"))
            Assert.Equal(HttpStatusCode.Gone, withdrawn.StatusCode);

        JsonObject after = await ListAsync(id);
        JsonNode closedAction = Action(after, actionId);
        Assert.Equal("closed", (string?)closedAction["status"]);
        Assert.False((bool)closedAction["overdue"]!);
        Assert.Equal([engagement.SignedContractEvidenceId], closedAction["closure"]!["evidenceIds"]!.AsArray().Select(item => (string)item!));
        Assert.Equal(1, (int)after["openActions"]!);
        Assert.Equal(0, (int)after["overdueActions"]!);
        JsonArray trail = await driver.AuditAsync(id);
        Assert.Equal(2, trail.Count(entry => (string?)entry!["action"] == "corrective-action.raised"));
        Assert.Equal(reminders, trail.Count(entry => (string?)entry!["action"] == "corrective-action.reminded"));
        Assert.Single(trail, entry => (string?)entry!["action"] == "corrective-action.escalated");
        Assert.Single(trail, entry => (string?)entry!["action"] == "corrective-action.closed");
    }

    [Fact]
    public async Task Qa_1_6_TheContractorReportsTheCorrectionThroughItsLink_AReportWithoutAFileIsAskedAgain_AndTheSupervisorClosesWithTheReportedFile()
    {
        ActiveEngagement engagement = await driver.ActiveEngagementAsync();
        string id = engagement.Id;
        DateOnly today = ActiveEngagements.Today;
        string inspectionId = await RecordInspectionAsync(id, "unannounced", today);
        using HttpResponseMessage found = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/inspections/{inspectionId}/findings", new
        {
            findings = new[] { new { description = "Backup tapes are kept in an unlocked cabinet.", severity = "major" } },
        });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        string actionId = (string)(await found.Content.ReadFromJsonAsync<JsonObject>())!["actions"]![0]!["actionId"]!;
        JsonObject Report() => new() { ["work"] = "The cabinet was replaced with a locked one and a key log started.", ["completedOn"] = ActiveEngagements.Date(today) };

        string first = await driver.LinkOfMailAsync(id, $@"{ReportRequestId(id, actionId, 1)}\.request");
        JsonNode awaited = Assert.Single((await driver.StateAsync(id))["waitingOn"]!.AsArray(), entry => Items(entry!).Contains($"corrective-action:{ReportRequestId(id, actionId, 1)}"))!;
        Assert.Equal("contractor", (string?)awaited["who"]);
        await driver.AnswerAsync(first, Report());
        await driver.SubmitAsync(first);

        string second = await driver.LinkOfMailAsync(id, $@"{ReportRequestId(id, actionId, 2)}\.request");
        JsonNode refused = Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "corrective-action.report-refused")!;
        Assert.Contains("evidence", (string)refused["details"]!["reasons"]!, StringComparison.Ordinal);
        Assert.Null(Action(await ListAsync(id), actionId)["report"]);

        await driver.AnswerAsync(second, Report());
        string evidenceId = await driver.UploadAsync(second, "new-cabinet.pdf", EngagementDriver.SignedContractPdf);
        await driver.SubmitAsync(second);

        // The trail entry is the activity's last write: once it is there, the action shows the report.
        await Eventually.UntilAsync(
            async () => (await driver.AuditAsync(id)).Any(entry => (string?)entry!["action"] == "corrective-action.reported"),
            EngagementDriver.Patience,
            "the report to be taken");
        JsonNode reported = Action(await ListAsync(id), actionId)["report"]!;
        Assert.Equal([evidenceId], reported["evidenceIds"]!.AsArray().Select(item => (string)item!));
        Assert.Equal(ActiveEngagements.Date(today), (string?)reported["completedOn"]);
        Assert.Equal("open", (string?)Action(await ListAsync(id), actionId)["status"]);
        Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "corrective-action.reported");
        JsonArray waiting = (await driver.StateAsync(id))["waitingOn"]!.AsArray();
        Assert.Equal("supervisor", (string?)Assert.Single(waiting, entry => Items(entry!).Contains($"corrective-action:{actionId}"))!["who"]);
        Assert.DoesNotContain(waiting, entry => Items(entry!).Contains($"corrective-action:{ReportRequestId(id, actionId, 2)}"));

        using HttpResponseMessage closed = await CloseAsync(id, inspectionId, actionId, new { note = "Checked the new cabinet and its key log.", evidenceIds = new[] { evidenceId } });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        await Eventually.UntilAsync(
            async () => await driver.Host.Durable.GetInstanceAsync($"{id}-action-{actionId}") is { RuntimeStatus: OrchestrationRuntimeStatus.Completed },
            EngagementDriver.Patience,
            "the chase to end");
        Assert.Empty(driver.Mails(id, $@"{actionId}\.overdue\.\d+"));
        Assert.Empty(driver.Mails(id, $@"{ReportRequestId(id, actionId, 3)}\.request"));
        Assert.DoesNotContain((await driver.StateAsync(id))["waitingOn"]!.AsArray(), entry => Items(entry!).Any(item => item.StartsWith("corrective-action:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Qa_1_6_ClosingAnActionWithoutAcceptedEvidence_Answers400_AndChangesNothing()
    {
        ActiveEngagement engagement = await driver.ActiveEngagementAsync();
        string id = engagement.Id;
        DateOnly today = ActiveEngagements.Today;
        using (HttpResponseMessage pastSchedule = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/inspections", new { kind = "scheduled", on = ActiveEngagements.Date(today.AddDays(-1)), scope = "Server room" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, pastSchedule.StatusCode);
            Assert.NotNull((await pastSchedule.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["on"]);
        }

        string inspectionId = await RecordInspectionAsync(id, "unannounced", today);
        using HttpResponseMessage found = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/inspections/{inspectionId}/findings", new
        {
            findings = new[] { new { description = "Access rights are not reviewed.", severity = "critical" } },
        });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        string actionId = (string)(await found.Content.ReadFromJsonAsync<JsonObject>())!["actions"]![0]!["actionId"]!;
        string rowKey = $"inspection|{inspectionId}|action|{actionId}";
        // Read once the workflow has recorded the report request it opened: the last write to the row until it is closed.
        TableEntity before = await Eventually.GetAsync(
            async () => (await driver.Host.Engagements.GetEntityAsync<TableEntity>(id, rowKey)).Value is { } row && row.ContainsKey("ReportRequestId") ? row : null,
            EngagementDriver.Patience,
            "the report request recorded on the action");
        string actionInstanceId = $"{id}-action-{actionId}";
        await Eventually.UntilAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(actionInstanceId) is { RuntimeStatus: OrchestrationRuntimeStatus.Running },
            EngagementDriver.Patience,
            "the corrective action's workflow running");

        using HttpResponseMessage noEvidence = await CloseAsync(id, inspectionId, actionId, new { note = "Reviewed.", evidenceIds = Array.Empty<string>() });
        using HttpResponseMessage unknownEvidence = await CloseAsync(id, inspectionId, actionId, new { note = "Reviewed.", evidenceIds = new[] { Guid.NewGuid().ToString("N") } });
        using HttpResponseMessage noNote = await CloseAsync(id, inspectionId, actionId, new { note = " ", evidenceIds = new[] { engagement.SignedContractEvidenceId } });

        Assert.Equal(HttpStatusCode.BadRequest, noEvidence.StatusCode);
        Assert.NotNull((await noEvidence.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["evidenceIds"]);
        Assert.Equal(HttpStatusCode.BadRequest, unknownEvidence.StatusCode);
        Assert.NotNull((await unknownEvidence.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["evidenceIds[0]"]);
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        TableEntity after = (await driver.Host.Engagements.GetEntityAsync<TableEntity>(id, rowKey)).Value;
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal("open", (string?)Action(await ListAsync(id), actionId)["status"]);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await driver.Host.Durable.GetInstanceAsync(actionInstanceId))?.RuntimeStatus);
        Assert.DoesNotContain(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "corrective-action.closed");
    }

    private async Task<string> RecordInspectionAsync(string id, string kind, DateOnly on)
    {
        using HttpResponseMessage recorded = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/inspections", new { kind, on = ActiveEngagements.Date(on), scope = "Server room and media handling" });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        return (string)(await recorded.Content.ReadFromJsonAsync<JsonObject>())!["inspectionId"]!;
    }

    private static string[] Items(JsonNode waiting) => [.. (waiting["items"]?.AsArray() ?? []).Select(item => (string)item!)];

    private static string ReportRequestId(string id, string actionId, int attempt) =>
        RequestIds.Derive($"{id}-action-{actionId}", $"report.{attempt}");

    private Task<string> MailAsync(string id, string suffix) =>
        Eventually.GetAsync(() => Task.FromResult(driver.Mails(id, suffix).FirstOrDefault()), EngagementDriver.Patience, $"the {suffix} mail");

    private Task<HttpResponseMessage> CloseAsync(string id, string inspectionId, string actionId, object body) =>
        driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/inspections/{inspectionId}/actions/{actionId}/closure", body);

    private async Task<JsonObject> ListAsync(string id) => (await driver.Host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/inspections"))!;

    private static JsonNode Action(JsonObject list, string actionId) =>
        list["inspections"]!.AsArray().SelectMany(inspection => inspection!["actions"]!.AsArray()).Single(action => (string?)action!["actionId"] == actionId)!;
}
