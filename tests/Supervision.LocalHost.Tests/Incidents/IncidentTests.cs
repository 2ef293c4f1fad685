using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Incidents;
using Supervision.Incidents;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Mail;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Incidents;

/// <summary>
/// Incidents end to end through the HTTP API and links (6-1, 6-3, 7-1): the principal hears at once, the rules judge
/// reportability, each report is chased before it lapses, and the incident closes only when the response is complete.
/// Reminders start at once and escalate within seconds (a lead longer than the deadline, an interval of two seconds).
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class IncidentTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] Settings =
    [
        "--Supervision:Requests:SupervisorEmail=supervisors@example.jp",
        "--Supervision:Incidents:ReminderLead=30.00:00:00",
        "--Supervision:Incidents:ReminderInterval=00:00:02",
        "--Supervision:Incidents:MaxReminders=1",
    ];

    private static readonly string[] OtherPrincipals = ["西日本モバイル株式会社"];

    private EngagementDriver driver = null!;

    public async Task InitializeAsync() => driver = await EngagementDriver.StartAsync(azurite, Settings);

    public async Task DisposeAsync() => await driver.DisposeAsync();

    public static JsonObject Report(int people = 1200, double learnedHoursAgo = 1, string? carrier = "日本郵便") => new()
    {
        ["kind"] = "misdelivery",
        ["description"] = "DM 1,200通を別の販売店に誤配送。受取人からの電話で判明。",
        ["happenedAt"] = DateTimeOffset.UtcNow.AddHours(-learnedHoursAgo - 5).ToString("O"),
        ["learnedAt"] = DateTimeOffset.UtcNow.AddHours(-learnedHoursAgo).ToString("O"),
        ["dataItems"] = new JsonArray("氏名", "住所"),
        ["peopleAffected"] = people,
        ["carrier"] = carrier,
        ["sensitiveData"] = false,
        ["financialDamagePossible"] = false,
        ["wrongfulPurposePossible"] = false,
        ["stronglyEncrypted"] = false,
    };

    private async Task<string> EngagementAsync()
    {
        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);
        return id;
    }

    private async Task<JsonObject> ReportAsync(string id, JsonObject body)
    {
        using HttpResponseMessage response = await driver.Procurement.PostAsync($"/api/engagements/{id}/incidents", EngagementDriver.Json(body.ToJsonString()));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static StringContent Pdf(string name) => EngagementDriver.Json(
        new JsonObject { ["report"] = new JsonObject { ["fileName"] = name, ["contentBase64"] = Convert.ToBase64String(EngagementDriver.SignedContractPdf) } }.ToJsonString());

    [Fact]
    public async Task Qa_6_1_AnIncident_IsHeardAtOnce_JudgedChasedReportedAndWorked_ThenClosed()
    {
        string id = await EngagementAsync();
        JsonObject incident = await ReportAsync(id, Report());
        string incidentId = (string)incident["id"]!;
        Assert.True((bool)incident["judgement"]!["reportable"]!);
        Assert.Equal(["more-than-threshold"], incident["judgement"]!["reasons"]!.AsArray().Select(node => (string?)node));
        Assert.Equal("appi-2022.1", (string?)incident["judgement"]!["rulesVersion"]);
        Assert.Equal(["preliminary", "final"], incident["reports"]!.AsArray().Select(report => (string?)report!["kind"]));
        Assert.Equal("日本郵便", (string?)incident["facts"]!["carrier"]);
        JsonObject open = Assert.Single((await driver.StateAsync(id))["openIncidents"]!.AsArray())!.AsObject();
        Assert.Equal(incidentId, (string?)open["id"]);
        Assert.NotNull(open["nextDeadline"]);

        await Eventually.GetAsync(() => Task.FromResult(driver.Mails(id, $@"incident\.{incidentId}\.reported").FirstOrDefault()), EngagementDriver.Patience, "the supervisors to be mailed");
        await Eventually.GetAsync(() => Task.FromResult(driver.Mails(id, $@"incident\.{incidentId}\.Preliminary\.escalated").FirstOrDefault()), EngagementDriver.Patience, "the preliminary report to be escalated");
        Assert.Single(driver.Mails(id, $@"incident\.{incidentId}\.Preliminary\.reminded\.1"));

        using (HttpResponseMessage early = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/incidents/{incidentId}/closure", new { note = "Everything is handled now." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            Assert.Contains("reportability", (await early.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        using (HttpResponseMessage noReason = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/incidents/{incidentId}/judgement", new { reportable = false }))
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using (HttpResponseMessage judged = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/incidents/{incidentId}/judgement", new { reportable = true, reason = "1,200 people: reportable under the enforcement rules." }))
            Assert.Equal(HttpStatusCode.OK, judged.StatusCode);
        using (HttpResponseMessage preliminary = await driver.Supervisor.PostAsync($"/api/engagements/{id}/incidents/{incidentId}/reports/preliminary", Pdf("速報.pdf")))
            Assert.Equal(HttpStatusCode.OK, preliminary.StatusCode);
        using (HttpResponseMessage final = await driver.Supervisor.PostAsync($"/api/engagements/{id}/incidents/{incidentId}/reports/final", Pdf("確報.pdf")))
            Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        await Eventually.GetAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(IncidentRecord.InstanceId(id, incidentId)) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } ? "done" : null,
            EngagementDriver.Patience,
            "the incident's workflow to end once every report is sent");
        int chased = driver.MailCount(id, $@"incident\.{incidentId}\.(Preliminary|Final)\.(reminded\.[0-9]+|escalated)");

        using (HttpResponseMessage recovered = await driver.Procurement.PostAsJsonAsync(
            $"/api/engagements/{id}/incidents/{incidentId}/steps/recovery",
            new { status = "done", note = "All 1,200 letters recovered from the shop.", evidence = new { fileName = "recovery-receipt.pdf", contentBase64 = Convert.ToBase64String(EngagementDriver.SignedContractPdf) } }))
        {
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
            JsonObject step = (await recovered.Content.ReadFromJsonAsync<JsonObject>())!["steps"]!.AsArray().Single(entry => (string?)entry!["step"] == "recovery")!.AsObject();
            Assert.Single(step["evidenceIds"]!.AsArray());
        }

        foreach (string step in (string[])["noticeToIndividuals", "secondaryDamageMeasures", "rootCause", "prevention"])
        {
            using HttpResponseMessage done = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/incidents/{incidentId}/steps/{step}", new { status = "done", note = "Done and evidenced." });
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        using (HttpResponseMessage vague = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/incidents/{incidentId}/steps/publication", new { status = "notApplicable" }))
            Assert.Equal(HttpStatusCode.BadRequest, vague.StatusCode);
        using (HttpResponseMessage publication = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/incidents/{incidentId}/steps/publication", new { status = "notApplicable", note = "Every person was notified individually; no publication needed." }))
            Assert.Equal(HttpStatusCode.OK, publication.StatusCode);
        using (HttpResponseMessage closed = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/incidents/{incidentId}/closure", new { note = "Recovered, notified, reported; recurrence prevented." }))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
            Assert.Equal("closed", (string?)(await closed.Content.ReadFromJsonAsync<JsonObject>())!["state"]);
        }

        JsonArray stillOpen = (await driver.Supervisor.GetFromJsonAsync<JsonObject>("/api/incidents?state=open"))!["items"]!.AsArray();
        JsonArray closedOnes = (await driver.Supervisor.GetFromJsonAsync<JsonObject>("/api/incidents?state=closed"))!["items"]!.AsArray();
        Assert.DoesNotContain(stillOpen, item => (string?)item!["id"] == incidentId);
        Assert.Empty((await driver.StateAsync(id))["openIncidents"]!.AsArray());
        Assert.Contains(closedOnes, item => (string?)item!["id"] == incidentId);
        Assert.Equal(chased, driver.MailCount(id, $@"incident\.{incidentId}\.(Preliminary|Final)\.(reminded\.[0-9]+|escalated)"));
        string[] actions = [.. (await driver.AuditAsync(id)).Select(entry => (string)entry!["action"]!)];
        Assert.Equal(["incident.reported", "incident.notified", "incident.judged", "incident.closed"], actions.Where(action => action is "incident.reported" or "incident.notified" or "incident.judged" or "incident.closed"));
        Assert.Equal(2, actions.Count(action => action == "incident.report-sent"));
        Assert.Equal(6, actions.Count(action => action == "incident.step-recorded"));
    }

    [Fact]
    public async Task Qa_6_3_ANoticeLaterThanTheContractAllows_IsAFinding_AndAnUnreportableOneOwesNoReport()
    {
        string id = await EngagementAsync();

        JsonObject incident = await ReportAsync(id, Report(people: 12, learnedHoursAgo: 30, carrier: null));

        Assert.True((bool)incident["noticeLate"]!);
        Assert.Equal(24, (int)incident["notifyWithinHours"]!);
        string actionId = (string)incident["lateNoticeActionId"]!;
        JsonObject review = Assert.Single((await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/inspections"))!["inspections"]!.AsArray())!.AsObject();
        Assert.Equal("review", (string?)review["kind"]);
        JsonObject action = Assert.Single(review["actions"]!.AsArray())!.AsObject();
        Assert.Equal(actionId, (string?)action["actionId"]);
        Assert.Contains("6-3", (string?)action["description"], StringComparison.Ordinal);
        Assert.Equal("山田 太郎", (string?)action["owner"]);
        await Eventually.GetAsync(
            async () => await driver.Host.Durable.GetInstanceAsync($"{id}-action-{actionId}") is { IsRunning: true } ? "chased" : null,
            EngagementDriver.Patience,
            "the corrective action to be chased like any other");
        Assert.False((bool)incident["judgement"]!["reportable"]!);
        Assert.Empty(incident["reports"]!.AsArray());
        Assert.Null(incident["nextDeadline"]);
    }

    [Fact]
    public async Task Qa_6_1_AContractor_ReportsThroughItsOwnLink_WhichServesNothingElse()
    {
        string id = await EngagementAsync();
        using (HttpResponseMessage issued = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/incident-links", new { }))
            Assert.Equal(HttpStatusCode.Accepted, issued.StatusCode);
        string requestId = StandingLinks.RequestId(id, IncidentEndpoints.LinkRequestKind, "contractor");
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.link\.[0-9a-f]{{32}}");
        using HttpClient vendor = driver.Host.Anonymous();

        using (HttpResponseMessage page = await vendor.GetAsync($"/vendor/{token}?lang=en"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Report a personal data incident", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage wrong = await vendor.PostAsync($"/api/vendor/{token}/subcontracts", EngagementDriver.Json("{}")))
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        using (HttpResponseMessage submit = await vendor.PostAsync($"/api/vendor/{token}/submit", EngagementDriver.Json("{}")))
            Assert.Equal(HttpStatusCode.Conflict, submit.StatusCode);
        using HttpResponseMessage reported = await vendor.PostAsync($"/api/vendor/{token}/incidents", EngagementDriver.Json(Report().ToJsonString()));
        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);

        JsonObject listed = Assert.Single((await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/incidents"))!["items"]!.AsArray())!.AsObject();
        Assert.StartsWith("vendor-link:", (string?)listed["reportedBy"], StringComparison.Ordinal);
        Assert.Equal("contractor", (string?)listed["facts"]!["tier"]);
    }

    [Fact]
    public async Task Qa_6_2_OneVoiceToTheCustomer_AndQa_7_1_PublishingAClientsLeak_NeedsItsAgreement()
    {
        string id = await EngagementAsync();
        JsonObject body = Report();
        body["heldForClient"] = "北海道ガス株式会社";
        string incidentId = (string)(await ReportAsync(id, body))["id"]!;
        string at = $"/api/engagements/{id}/incidents/{incidentId}";

        using (HttpResponseMessage coordinated = await driver.Supervisor.PostAsJsonAsync($"{at}/coordination", new { otherPrincipals = OtherPrincipals, contactingParty = "東日本テレコム株式会社", contactPoint = "0120-000-111" }))
            Assert.Equal(HttpStatusCode.OK, coordinated.StatusCode);
        using (HttpResponseMessage again = await driver.Supervisor.PostAsJsonAsync($"{at}/coordination", new { otherPrincipals = OtherPrincipals, contactingParty = "西日本モバイル株式会社", contactPoint = "0120-999-999" }))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using (HttpResponseMessage notice = await driver.Procurement.PostAsJsonAsync($"{at}/steps/noticeToIndividuals", new { status = "done", note = "Letters sent to all 1,200." }))
        {
            JsonObject step = (await notice.Content.ReadFromJsonAsync<JsonObject>())!["steps"]!.AsArray().Single(entry => (string?)entry!["step"] == "noticeToIndividuals")!.AsObject();
            Assert.Equal("東日本テレコム株式会社", (string?)step["owner"]);
            Assert.Contains("0120-000-111", (string?)step["note"], StringComparison.Ordinal);
        }

        using (HttpResponseMessage early = await driver.Procurement.PostAsJsonAsync($"{at}/steps/publication", new { status = "done", note = "Published on the web site." }))
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        using (HttpResponseMessage agreed = await driver.Supervisor.PostAsJsonAsync($"{at}/client-agreement", new { agreedBy = "北海道ガス 広報部 田中", note = "Agreed by telephone, confirmed by mail." }))
            Assert.Equal(HttpStatusCode.OK, agreed.StatusCode);
        using HttpResponseMessage published = await driver.Procurement.PostAsJsonAsync($"{at}/steps/publication", new { status = "done", note = "Published on the web site." });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        JsonObject shown = (await published.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("北海道ガス 広報部 田中", (string?)shown["clientAgreedBy"]);
        using (HttpResponseMessage otherAgreement = await driver.Supervisor.PostAsJsonAsync($"{at}/client-agreement", new { agreedBy = "別の人", note = "A second, different agreement." }))
            Assert.Equal(HttpStatusCode.Conflict, otherAgreement.StatusCode);
        JsonObject read = (await driver.Supervisor.GetFromJsonAsync<JsonObject>(at))!;
        Assert.Equal(incidentId, (string?)read["id"]);
        Assert.Equal("北海道ガス株式会社", (string?)read["facts"]!["heldForClient"]);
        Assert.DoesNotContain(shown["missing"]!.AsArray(), entry => ((string)entry!).Contains("7-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Qa_7_4_APreventionCheckAnsweredNotClean_OpensAnIncident_AndACleanOneDoesNot()
    {
        string id = await EngagementAsync();
        string notClean = await AnswerPreventionCheckAsync(id, "winny", homePcsClean: false);
        string clean = await AnswerPreventionCheckAsync(id, "all-clear", homePcsClean: true);

        JsonObject incident = await Eventually.GetAsync(
            async () => (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/incidents"))!["items"]!.AsArray().SingleOrDefault()?.AsObject(),
            EngagementDriver.Patience,
            "the not-clean check to open an incident");
        Assert.Contains(PreventionCheck.HomePcs, (string?)incident["facts"]!["description"], StringComparison.Ordinal);
        Assert.Contains("Winny on one home PC", (string?)incident["facts"]!["description"], StringComparison.Ordinal);
        Assert.StartsWith("vendor-link:", (string?)incident["reportedBy"], StringComparison.Ordinal);
        await Eventually.GetAsync(() => Task.FromResult(driver.Mails(id, $@"incident\.{(string)incident["id"]!}\.reported").FirstOrDefault()), EngagementDriver.Patience, "the supervisors to be told");
        await Eventually.GetAsync(
            async () => (await driver.AuditAsync(id)).Any(entry => (string?)entry!["action"] == "prevention.answered" && (string?)entry["details"]!["checkId"] == clean) ? "answered" : null,
            EngagementDriver.Patience,
            "the clean check to be recorded");
        Assert.Single((await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/incidents"))!["items"]!.AsArray());
        Assert.NotEqual(notClean, clean);
    }

    private async Task<string> AnswerPreventionCheckAsync(string id, string key, bool homePcsClean)
    {
        using var asked = new HttpRequestMessage(HttpMethod.Post, $"/api/engagements/{id}/prevention-checks") { Content = EngagementDriver.Json("{}") };
        asked.Headers.Add("Idempotency-Key", key);
        using HttpResponseMessage response = await driver.Supervisor.SendAsync(asked);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string checkId = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["checkId"]!;
        string requestId = RequestIds.Derive(PreventionCheckInput.InstanceId(id, checkId), "check");
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        JsonObject answers = new();
        foreach (Domain.Vendors.Question question in PreventionCheck.Questions.Where(question => question.Kind == Domain.Vendors.QuestionKind.YesNo))
            answers[question.Id] = question.Id == PreventionCheck.HomePcs && !homePcsClean ? "no" : "yes";
        if (!homePcsClean)
            answers[PreventionCheck.Details] = "Winny on one home PC, removed on the day.";
        await driver.AnswerAsync(token, answers);
        await driver.SubmitAsync(token);
        return checkId;
    }

    [Theory]
    [InlineData("happenedAt")]
    [InlineData("peopleAffected")]
    [InlineData("dataItems")]
    public async Task ABadReport_IsRefusedNamingTheField_AndNothingIsWrittenOrMailed(string field)
    {
        string id = await EngagementAsync();
        JsonObject body = Report();
        body[field] = field switch
        {
            "happenedAt" => DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
            "peopleAffected" => -5,
            _ => new JsonArray("氏名", "口座番号"),
        };

        using HttpResponseMessage refused = await driver.Procurement.PostAsync($"/api/engagements/{id}/incidents", EngagementDriver.Json(body.ToJsonString()));
        using HttpClient auditor = driver.Host.As("test-auditor", "auditor");
        using HttpResponseMessage forbidden = await auditor.PostAsync($"/api/engagements/{id}/incidents", EngagementDriver.Json(Report().ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(field, (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(pair => pair.Key));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty((await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/incidents"))!["items"]!.AsArray());
        Assert.DoesNotContain(await driver.AuditAsync(id), entry => ((string)entry!["action"]!).StartsWith("incident.", StringComparison.Ordinal));
        Assert.Equal(0, driver.MailCount(id, @"incident\..*"));
    }
}

/// <summary>A report is never lost to a mail outage: the incident is recorded, and the supervisors' notice is retried until it goes.</summary>
[Collection(SharedAzurite.Name)]
public sealed class IncidentNoticeRetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SendGridCapture capture = null!;
    private EngagementDriver driver = null!;

    public async Task InitializeAsync()
    {
        capture = await SendGridCapture.StartAsync();
        capture.Otherwise = new CannedAnswer(503);
        driver = await EngagementDriver.StartAsync(
            azurite,
            "--Supervision:Requests:SupervisorEmail=supervisors@example.jp",
            $"--Supervision:Mail:SendGridApiKey={MailTestServices.ApiKey}",
            $"--Supervision:Mail:SendGridHost={capture.Address}",
            "--Supervision:Mail:Retry:MaxRetryAttempts=1",
            "--Supervision:Mail:Retry:BaseDelay=00:00:00.010");
    }

    public async Task DisposeAsync()
    {
        await driver.DisposeAsync();
        await capture.DisposeAsync();
    }

    [Fact]
    public async Task Qa_6_3_AReportWhileMailIsDown_IsRecordedAtOnce_AndTheSupervisorsAreToldOnceItIsBack()
    {
        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);

        using HttpResponseMessage reported = await driver.Procurement.PostAsync($"/api/engagements/{id}/incidents", EngagementDriver.Json(IncidentTests.Report().ToJsonString()));
        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        await Eventually.GetAsync(
            () => Task.FromResult(capture.Requests.Any(request => request.Body.Contains("supervisors@example.jp", StringComparison.Ordinal)) ? "tried" : null),
            EngagementDriver.Patience,
            "the notice to be tried while mail is down");
        Assert.Single((await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/incidents"))!["items"]!.AsArray());

        capture.Otherwise = CannedAnswer.Accepted;

        await Eventually.GetAsync(
            () => Task.FromResult(capture.Delivered.Any(request => request.Body.Contains("supervisors@example.jp", StringComparison.Ordinal)) ? "sent" : null),
            TimeSpan.FromSeconds(90),
            "the notice to go once mail is back");
    }
}
