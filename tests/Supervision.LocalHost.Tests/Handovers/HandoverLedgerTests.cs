using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using MimeKit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Handovers;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Http;
using Supervision.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Handovers;

/// <summary>
/// The handover ledger (2-3, 2-4) and checkouts (7-3) end to end: nothing is entered before the contract is complete,
/// every entry is within the contract, its receiver acknowledges it through a signed link, and paper or media out past
/// its due date is chased until it is back. Intervals are compressed to seconds.
/// </summary>
[Collection(SharedAzurite.Workflows)]
public sealed partial class HandoverLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Receiver = "suzuki@example.co.jp";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReminderInterval = TimeSpan.FromSeconds(3);

    private readonly string outbox = Path.Combine(Path.GetTempPath(), "handover-outbox-" + Guid.NewGuid().ToString("N"));
    private RunningLocalHost host = null!;
    private HttpClient supervisor = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(outbox);
        host = await RunningLocalHost.StartAsync(
            azurite,
            $"--Supervision:Mail:OutboxDirectory={outbox}",
            // Requests to the contractor stay quiet; checkouts are chased every few seconds.
            "--Supervision:Requests:AnswerWithin=00:30:00",
            $"--Supervision:Requests:ReminderInterval={ReminderInterval:c}",
            "--Supervision:Requests:MaxReminders=5",
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
    public async Task Qa_2_3_Handover_IsRefused_WhenContractIncomplete_NamingEveryGap_AndNothingIsWritten()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.SetAsync(
            host,
            id,
            ContractClauses.All.Where(clause => clause != ContractClause.LeakReporting),
            CompleteContract.Terms() with { TransferMethod = null },
            splitAgreed: false,
            CompleteContract.SignedContractEvidenceId);

        using HttpResponseMessage refused = await PostHandoverAsync(id, Handover(), idempotencyKey: "early-1");
        using HttpResponseMessage checkout = await host.Http.PostAsync($"/api/engagements/{id}/checkouts", Json(Checkout(Today().AddDays(-1), Today())));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        JsonObject problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("not complete", (string?)problem["title"], StringComparison.Ordinal);
        Assert.Equal(
            ["clause:LeakReporting", "terms:transferMethod", "responsibility-split"],
            problem["missing"]!.AsArray().Select(gap => (string?)gap!["code"]));
        Assert.All(problem["missing"]!.AsArray(), gap => Assert.False(string.IsNullOrEmpty((string?)gap!["description"])));
        Assert.Contains("responsibility split", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, checkout.StatusCode);

        Assert.Empty(await LedgerRowsAsync(id));
        string wouldBe = EngagementIds.FromIdempotencyKey($"{id}\nhandover\ntest-procurement", "early-1");
        Assert.Null(await host.Durable.GetInstanceAsync(HandoverEndpoints.HandoverInstanceId(id, wouldBe)));
        Assert.DoesNotContain(await AuditAsync(id), entry => ((string?)entry!["action"])!.StartsWith("handover.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Qa_2_4_Handover_UnderACompleteContract_IsAcknowledgedByItsReceiver_ThroughTheSignedLink()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.ApplyAsync(host, id);

        using HttpResponseMessage recorded = await PostHandoverAsync(id, Handover(), idempotencyKey: "batch-2027-03");
        Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
        Assert.Equal($"/api/engagements/{id}/handovers", recorded.Headers.Location?.OriginalString);
        JsonObject accepted = (await recorded.Content.ReadFromJsonAsync<JsonObject>())!;
        string handoverId = (string)accepted["id"]!;
        Assert.Equal("waiting", (string?)accepted["acknowledgement"]!["status"]);

        // The same key and entry again is the same entry; the same key with another entry is refused.
        using HttpResponseMessage repeated = await PostHandoverAsync(id, Handover(), idempotencyKey: "batch-2027-03");
        Assert.Equal(handoverId, (string?)(await repeated.Content.ReadFromJsonAsync<JsonObject>())!["id"]);
        using HttpResponseMessage reused = await PostHandoverAsync(id, Handover(recordCount: 99), idempotencyKey: "batch-2027-03");
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);

        (string token, MimeMessage mail) = await AcknowledgementLinkAsync(id, handoverId);
        Assert.Equal(Receiver, Assert.Single(mail.To.Mailboxes).Address);
        await AnswerAsync(token, "yes", "1200", remark: null);

        JsonObject entry = await HandoverInStatusAsync(id, handoverId, "acknowledged");
        Assert.NotNull((string?)entry["acknowledgement"]!["acknowledgedAt"]);
        Assert.Null((string?)entry["acknowledgement"]!["disputedAt"]);
        Assert.Equal("1200", (string?)entry["acknowledgement"]!["recordsReceived"]);
        Assert.Single(await ListAsync(id, "handovers"));
        JsonArray trail = await AuditAsync(id);
        JsonNode recordedEntry = Assert.Single(trail, e => (string?)e!["action"] == "handover.recorded")!;
        Assert.Equal(handoverId, (string?)recordedEntry["details"]!["handoverId"]);
        Assert.Single(trail, e => (string?)e!["action"] == "handover.acknowledged");
        await WorkflowCompletedAsync(HandoverEndpoints.HandoverInstanceId(id, handoverId));
    }

    [Fact]
    public async Task Qa_2_4_ReceiverWhoDidNotReceiveTheDataAsDescribed_DisputesTheHandover()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.ApplyAsync(host, id);
        using HttpResponseMessage recorded = await PostHandoverAsync(id, Handover());
        string handoverId = (string)(await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        (string token, _) = await AcknowledgementLinkAsync(id, handoverId);
        await AnswerAsync(token, "no", "1150", remark: "50 records missing from the file");

        JsonObject entry = await HandoverInStatusAsync(id, handoverId, "disputed");
        Assert.NotNull((string?)entry["acknowledgement"]!["disputedAt"]);
        Assert.Equal("50 records missing from the file", (string?)entry["acknowledgement"]!["remark"]);
        JsonArray trail = await AuditAsync(id);
        Assert.Single(trail, e => (string?)e!["action"] == "handover.disputed");
        Assert.DoesNotContain(trail, e => (string?)e!["action"] == "handover.acknowledged");
    }

    [Fact]
    public async Task Qa_2_4_ItemsOutsideTheContract_Answer400_NamingThem_AndNothingIsWritten()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.ApplyAsync(host, id);

        using HttpResponseMessage refused = await PostHandoverAsync(id, Handover(items: ["氏名", "口座番号", "生年月日"]));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonObject problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        string message = (string)problem["errors"]!["dataItems"]![0]!;
        Assert.Contains("口座番号", message, StringComparison.Ordinal);
        Assert.Contains("生年月日", message, StringComparison.Ordinal);
        Assert.DoesNotContain("氏名", message, StringComparison.Ordinal);
        Assert.Empty(await LedgerRowsAsync(id));
    }

    [Fact]
    public async Task Qa_7_3_CheckoutPastItsDueDate_IsChasedEveryInterval_UntilItIsReturned()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.ApplyAsync(host, id);
        DateOnly dueBack = Today().AddDays(-1);

        using HttpResponseMessage recorded = await host.Http.PostAsync($"/api/engagements/{id}/checkouts", Json(Checkout(dueBack.AddDays(-6), dueBack)));
        Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
        string checkoutId = (string)(await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        string first = await MailFileAsync($"*-{id}.checkout.{checkoutId}.overdue.1.eml", "the first overdue reminder");
        using (MimeMessage mail = await MimeMessage.LoadAsync(first))
        {
            Assert.Equal("yamada@example.co.jp", Assert.Single(mail.To.Mailboxes).Address);
            Assert.Contains("工事依頼書 2027-0042", mail.TextBody, StringComparison.Ordinal);
        }

        await MailFileAsync($"*-{id}.checkout.{checkoutId}.overdue.2.eml", "the second overdue reminder, one interval later");
        JsonNode overdue = Assert.Single(await ListAsync(id, "checkouts"))!;
        Assert.True((bool)overdue["overdue"]!);
        Assert.Equal(1, (int)overdue["daysOverdue"]!);
        Assert.Contains(await AuditAsync(id), e => (string?)e!["action"] == "checkout.overdue");

        string returnedOn = Format(Today());
        using HttpResponseMessage returned = await host.Http.PostAsync($"/api/engagements/{id}/checkouts/{checkoutId}/return", Json(new JsonObject { ["returnedOn"] = returnedOn }));
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        using HttpResponseMessage again = await host.Http.PostAsync($"/api/engagements/{id}/checkouts/{checkoutId}/return", Json(new JsonObject { ["returnedOn"] = returnedOn }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using HttpResponseMessage otherDate = await host.Http.PostAsync($"/api/engagements/{id}/checkouts/{checkoutId}/return", Json(new JsonObject { ["returnedOn"] = Format(dueBack) }));
        Assert.Equal(HttpStatusCode.Conflict, otherDate.StatusCode);

        await WorkflowCompletedAsync(CheckoutEndpoints.CheckoutInstanceId(id, checkoutId));
        int reminders = Directory.GetFiles(outbox, $"*-{id}.checkout.{checkoutId}.overdue.*.eml").Length;
        await Task.Delay(ReminderInterval * 2);
        Assert.Equal(reminders, Directory.GetFiles(outbox, $"*-{id}.checkout.{checkoutId}.overdue.*.eml").Length);
        Assert.Empty(Directory.GetFiles(outbox, $"*-{id}.checkout.{checkoutId}.escalation.eml"));

        JsonNode back = Assert.Single(await ListAsync(id, "checkouts"))!;
        Assert.False((bool)back["overdue"]!);
        Assert.True((bool)back["returnedLate"]!);
        Assert.Equal(returnedOn, (string?)back["returnedOn"]);
        Assert.Single(await AuditAsync(id), e => (string?)e!["action"] == "checkout.returned");
    }

    [Fact]
    public async Task Qa_7_3_CheckoutStillOutAfterEveryReminder_IsEscalatedOnce_ThenWaitsForTheReturn()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.ApplyAsync(host, id);
        DateOnly dueBack = Today().AddDays(-2);
        using HttpResponseMessage recorded = await host.Http.PostAsync($"/api/engagements/{id}/checkouts", Json(Checkout(dueBack.AddDays(-1), dueBack)));
        string checkoutId = (string)(await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        string escalation = await MailFileAsync($"*-{id}.checkout.{checkoutId}.escalation.eml", "the escalation to the supervisors");
        using (MimeMessage mail = await MimeMessage.LoadAsync(escalation))
            Assert.Equal("supervisors@example.jp", Assert.Single(mail.To.Mailboxes).Address);
        // The mail goes out before the trail entry is appended.
        JsonNode escalated = await Eventually.GetAsync(
            async () => (await AuditAsync(id)).SingleOrDefault(e => (string?)e!["action"] == "checkout.escalated"),
            Patience,
            "the escalation's trail entry");
        Assert.Equal("5", (string?)escalated["details"]!["reminders"]);

        await Task.Delay(ReminderInterval * 2);
        Assert.Equal(5, Directory.GetFiles(outbox, $"*-{id}.checkout.{checkoutId}.overdue.*.eml").Length);
        Assert.Equal(5, (await AuditAsync(id)).Count(e => (string?)e!["action"] == "checkout.overdue"));
        JsonNode item = Assert.Single(await ListAsync(id, "checkouts"))!;
        Assert.Equal(Today().DayNumber - dueBack.DayNumber, (int)item["daysOverdue"]!); // Today again: the run may cross midnight in Japan.
        Assert.NotNull((string?)item["escalatedAt"]);
        string instanceId = CheckoutEndpoints.CheckoutInstanceId(id, checkoutId);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Durable.GetInstanceAsync(instanceId))!.RuntimeStatus);

        using HttpResponseMessage returned = await supervisor.PostAsync($"/api/engagements/{id}/checkouts/{checkoutId}/return", Json(new JsonObject { ["returnedOn"] = Format(Today()) }));
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        await WorkflowCompletedAsync(instanceId);
    }

    [Fact]
    public async Task Qa_7_3_CheckoutDueToday_IsNotOverdue_UntilTheJapanDayEnds()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.ApplyAsync(host, id);

        using HttpResponseMessage recorded = await host.Http.PostAsync($"/api/engagements/{id}/checkouts", Json(Checkout(Today().AddDays(-3), Today())));
        Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
        string checkoutId = (string)(await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        OrchestrationMetadata workflow = await Eventually.GetAsync(
            async () => await host.Durable.GetInstanceAsync(CheckoutEndpoints.CheckoutInstanceId(id, checkoutId)) is { RuntimeStatus: OrchestrationRuntimeStatus.Running } running ? running : null,
            Patience,
            "the checkout workflow to run");
        await Task.Delay(ReminderInterval * 2);

        Assert.Equal(OrchestrationRuntimeStatus.Running, workflow.RuntimeStatus);
        JsonNode item = Assert.Single(await ListAsync(id, "checkouts"))!;
        Assert.False((bool)item["overdue"]!);
        Assert.Equal(0, (int)item["daysOverdue"]!);
        Assert.Empty(Directory.GetFiles(outbox, $"*-{id}.checkout.*.eml"));
    }

    [Fact]
    public async Task BadBodies_Answer400_NamingTheFields_AndChangeNothing()
    {
        string id = await StartEngagementAsync();
        await CompleteContract.ApplyAsync(host, id);
        using HttpResponseMessage recorded = await host.Http.PostAsync($"/api/engagements/{id}/checkouts", Json(Checkout(Today().AddDays(-2), Today().AddDays(5))));
        string checkoutId = (string)(await recorded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        int ledgerTrailBefore = LedgerTrail(await AuditAsync(id));

        JsonObject future = Handover();
        future["handedOverOn"] = Format(Today().AddDays(1));
        JsonObject wrongMethod = Handover();
        wrongMethod["transferMethod"] = "trackedDelivery";
        (string Path, string Body, string[] Fields)[] cases =
        [
            ("handovers", "{}", ["dataItems", "handedOverOn", "medium", "receiverEmail", "receiverName", "recordCount", "senderName", "transferMethod"]),
            ("handovers", Handover(recordCount: 0).ToJsonString(), ["recordCount"]),
            ("handovers", future.ToJsonString(), ["handedOverOn"]),
            ("handovers", wrongMethod.ToJsonString(), ["transferMethod"]),
            ("handovers", """{"dataItems":["氏名"],"unexpected":1}""", []),
            ("handovers", "{not json", []),
            ("checkouts", "{}", ["checkedOutOn", "dueBack", "itemDescription"]),
            ("checkouts", Checkout(Today(), Today().AddDays(-1)).ToJsonString(), ["dueBack"]),
            ($"checkouts/{checkoutId}/return", "{}", ["returnedOn"]),
            ($"checkouts/{checkoutId}/return", new JsonObject { ["returnedOn"] = Format(Today().AddDays(1)) }.ToJsonString(), ["returnedOn"]),
            ($"checkouts/{checkoutId}/return", new JsonObject { ["returnedOn"] = Format(Today().AddDays(-3)) }.ToJsonString(), ["returnedOn"]),
        ];

        foreach ((string path, string body, string[] fields) in cases)
        {
            using HttpResponseMessage response = await host.Http.PostAsync($"/api/engagements/{id}/{path}", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (fields.Length > 0)
            {
                JsonObject problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.Equal(fields, problem["errors"]!.AsObject().Select(pair => pair.Key).Order(StringComparer.Ordinal));
            }
        }

        Assert.Empty(await ListAsync(id, "handovers"));
        JsonNode checkout = Assert.Single(await ListAsync(id, "checkouts"))!;
        Assert.Null((string?)checkout["returnedOn"]);
        // The engagement's own workflow keeps writing to the trail; nothing of the ledger may have been added.
        Assert.Equal(ledgerTrailBefore, LedgerTrail(await AuditAsync(id)));
        using HttpResponseMessage unknown = await host.Http.PostAsync($"/api/engagements/{Guid.NewGuid():N}/handovers", Json(Handover()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static int LedgerTrail(JsonArray trail) =>
        trail.Count(entry => (string?)entry!["action"] is { } action && (action.StartsWith("handover.", StringComparison.Ordinal) || action.StartsWith("checkout.", StringComparison.Ordinal)));

    private static DateOnly Today() => JapanCalendar.DateAt(DateTimeOffset.UtcNow);

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonObject Handover(int recordCount = 1200, string[]? items = null) => new()
    {
        ["dataItems"] = new JsonArray([.. (items ?? ["氏名", "住所"]).Select(item => JsonValue.Create(item))]),
        ["recordCount"] = recordCount,
        ["medium"] = "onlineTransfer",
        ["transferMethod"] = "encryptedTransfer",
        ["senderName"] = "佐藤 花子",
        ["receiverName"] = "鈴木 一郎",
        ["receiverEmail"] = Receiver,
        ["handedOverOn"] = Format(Today()),
    };

    private static JsonObject Checkout(DateOnly checkedOutOn, DateOnly dueBack) => new()
    {
        ["itemDescription"] = "工事依頼書 2027-0042",
        ["checkedOutOn"] = Format(checkedOutOn),
        ["dueBack"] = Format(dueBack),
    };

    private async Task<HttpResponseMessage> PostHandoverAsync(string id, JsonObject body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/engagements/{id}/handovers") { Content = Json(body) };
        if (idempotencyKey is not null)
            request.Headers.Add(StaffInput.IdempotencyKeyHeader, idempotencyKey);
        return await host.Http.SendAsync(request);
    }

    private async Task<string> StartEngagementAsync()
    {
        const string body = """
            {"contractor":{"name":"株式会社サンプル工事"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"ja"},
             "purpose":"Installation work","datasets":[{"items":["氏名","住所","電話番号"],"recordCount":1200,"isSensitive":false,"leakCausesSecondaryDamage":false}],
             "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"}
            """;
        using HttpResponseMessage started = await host.Http.PostAsync("/api/engagements", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<JsonArray> ListAsync(string id, string what) =>
        (await host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/{what}"))!["items"]!.AsArray();

    private async Task<List<TableEntity>> LedgerRowsAsync(string id)
    {
        var rows = new List<TableEntity>();
        foreach (string prefix in (string[])[HandoverRecord.Prefix, CheckoutRecord.Prefix])
            rows.AddRange(await host.Engagements.ListByPrefixAsync<TableEntity>(id, prefix, CancellationToken.None));
        return rows;
    }

    private async Task<JsonArray> AuditAsync(string id) =>
        (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit"))!["entries"]!.AsArray();

    private Task<string> MailFileAsync(string pattern, string what) =>
        Eventually.GetAsync(() => Task.FromResult(Directory.GetFiles(outbox, pattern).FirstOrDefault()), Patience, what);

    /// <summary>The acknowledgement request the workflow opened for the entry, and the link its mail carries.</summary>
    private async Task<(string Token, MimeMessage Mail)> AcknowledgementLinkAsync(string id, string handoverId)
    {
        string requestId = await Eventually.GetAsync(
            async () => (await ListAsync(id, "handovers")).FirstOrDefault(entry => (string?)entry!["id"] == handoverId)?["acknowledgement"]?["requestId"]?.GetValue<string>(),
            Patience,
            "the acknowledgement request to be opened");
        string file = await MailFileAsync($"*-{id}.{requestId}.request.eml", "the acknowledgement mail");
        MimeMessage message = await MimeMessage.LoadAsync(file);
        Match link = VendorLink().Match(message.TextBody ?? string.Empty);
        Assert.True(link.Success, "the acknowledgement mail carries a /vendor/ link");
        return (link.Groups["token"].Value, message);
    }

    private async Task AnswerAsync(string token, string receivedAsDescribed, string recordsReceived, string? remark)
    {
        var answers = new JsonObject
        {
            [OpenHandoverAcknowledgement.ReceivedQuestion] = receivedAsDescribed,
            [OpenHandoverAcknowledgement.CountQuestion] = recordsReceived,
        };
        if (remark is not null)
            answers[OpenHandoverAcknowledgement.RemarkQuestion] = remark;
        using HttpClient vendor = host.Anonymous();
        using HttpResponseMessage answered = await vendor.PostAsync($"/api/vendor/{token}/answers", Json(new JsonObject { ["answers"] = answers }));
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        using HttpResponseMessage submitted = await vendor.PostAsync($"/api/vendor/{token}/submit", Json([]));
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
    }

    private Task<JsonObject> HandoverInStatusAsync(string id, string handoverId, string status) =>
        Eventually.GetAsync(
            async () => (await ListAsync(id, "handovers")).FirstOrDefault(entry => (string?)entry!["id"] == handoverId && (string?)entry["acknowledgement"]!["status"] == status)?.AsObject(),
            Patience,
            $"the handover to be {status}");

    private Task<OrchestrationMetadata> WorkflowCompletedAsync(string instanceId) =>
        Eventually.GetAsync(
            async () => await host.Durable.GetInstanceAsync(instanceId) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } done ? done : null,
            Patience,
            $"workflow {instanceId} to complete");

    [GeneratedRegex(@"https?://[^\s""<>]+/vendor/(?<token>[^\s""<>]+)")]
    private static partial Regex VendorLink();
}
