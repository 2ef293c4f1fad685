using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Supervision.Closing;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Subcontracts;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Closing;

/// <summary>
/// A tier that does not answer at the end (7-2): its return is chased like every request — reminded, then escalated to
/// the supervisors — and it alone holds up the close, until it answers or the principal witnesses its erasure (2-4).
/// Requests here fall due in two seconds.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class LateReturnTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync() => driver = await EngagementDriver.StartAsync(
        azurite,
        "--Supervision:Requests:AnswerWithin=00:00:02",
        "--Supervision:Requests:ReminderInterval=00:00:02",
        "--Supervision:Requests:MaxReminders=1",
        "--Supervision:Requests:SupervisorEmail=supervisors@example.jp");

    public async Task DisposeAsync() => await driver.DisposeAsync();

    private static string Today => ActiveEngagements.Date(ActiveEngagements.Today);

    [Fact]
    public async Task Qa_7_2_ALateTier_IsRemindedAndEscalated_AndHoldsUpTheClose_UntilThePrincipalWitnessesItsErasure()
    {
        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);
        await CompleteContract.ActivateAsync(driver.Host, id);
        await new SubcontractChain(driver, id).HandOverAsync(null, ["氏名", "住所"], 800, "yamada@example.co.jp");
        var witness = new { tier = "contractor", method = "physical destruction (shredder, DIN 66399 P-4)", performedOn = Today, performedBy = "加藤 次郎" };
        using (HttpResponseMessage notAskedYet = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/closure/witnessed-erasures", witness))
            Assert.Equal(HttpStatusCode.Conflict, notAskedYet.StatusCode);
        using (HttpResponseMessage ended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/termination", new { reason = "The contractor is being replaced." }))
            Assert.Equal(HttpStatusCode.Accepted, ended.StatusCode);

        string requestId = RequestIds.Derive(ClosingInput.InstanceId(id), "contractor.1");
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        await driver.LinkOfMailAsync(id, $@"{requestId}\.reminder\.1");
        await Eventually.UntilAsync(() => Task.FromResult(driver.MailCount(id, $@"{requestId}\.escalation") == 1), EngagementDriver.Patience, "the late return to be escalated");
        using (HttpResponseMessage heldUp = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/closure", new { reason = "Closing while the contractor is silent." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, heldUp.StatusCode);
            Assert.Contains("tier contractor: return or erasure not certified", await heldUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage byProcurement = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/closure/witnessed-erasures", witness))
            Assert.Equal(HttpStatusCode.Forbidden, byProcurement.StatusCode);
        using (HttpResponseMessage undated = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/closure/witnessed-erasures", new { witness.tier, witness.method, witness.performedBy }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, undated.StatusCode);
            Assert.Contains("performedOn", await undated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage witnessed = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/closure/witnessed-erasures", witness))
            Assert.Equal(HttpStatusCode.OK, witnessed.StatusCode);
        using (HttpResponseMessage retried = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/closure/witnessed-erasures", witness))
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        using (HttpResponseMessage another = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/closure/witnessed-erasures", witness with { method = "overwrite" }))
            Assert.Equal(HttpStatusCode.Conflict, another.StatusCode);

        JsonObject record = await Eventually.GetAsync(
            async () => await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure") is { } view && view["missing"]!.AsArray().Count == 0 ? view : null,
            EngagementDriver.Patience,
            "the witnessed erasure to count");
        JsonObject certificate = record["tiers"]![0]!["certificate"]!.AsObject();
        Assert.Equal("test-supervisor", (string?)certificate["witnessedBy"]);
        Assert.Empty(certificate["evidenceIds"]!.AsArray());
        using (HttpClient contractor = driver.Host.Anonymous())
        using (HttpResponseMessage answeredInItsPlace = await contractor.GetAsync($"/vendor/{token}"))
            Assert.Equal(HttpStatusCode.Gone, answeredInItsPlace.StatusCode);
        JsonArray trail = await driver.AuditAsync(id);
        Assert.Single(trail, entry => (string?)entry!["action"] == "closing.witnessed");
        Assert.DoesNotContain(trail, entry => (string?)entry!["action"] == "closing.certified");

        using HttpResponseMessage closed = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/closure", new { reason = "Erasure witnessed on site; nothing out." });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        JsonObject closure = (await closed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(ActiveEngagements.Date(ActiveEngagements.Today.AddYears(5)), (string?)closure["retainUntil"]);
        await Eventually.UntilAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(ClosingInput.InstanceId(id)) is { RuntimeStatus: Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed },
            EngagementDriver.Patience,
            "the closing workflow to complete");
    }
}
