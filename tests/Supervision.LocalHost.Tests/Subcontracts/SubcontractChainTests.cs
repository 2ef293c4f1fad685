using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Contracts;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Subcontracts;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Subcontracts;

/// <summary>
/// Sub-contract approval down the chain (3-1, 3-2, 7-2) end to end through the HTTP API and the links: the contract's
/// policy decides, the subcontractor answers its own due diligence, a supervisor approves with a reason, data goes down
/// the ledger and is acknowledged, and the chain says at every moment which tier holds what. Staff are chased in seconds.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class SubcontractChainTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync() => driver = await EngagementDriver.StartAsync(
        azurite,
        "--Supervision:Requests:AnswerWithin=00:30:00",
        "--Supervision:Requests:ReminderInterval=00:00:02",
        "--Supervision:Requests:MaxReminders=2",
        "--Supervision:Requests:SupervisorEmail=supervisors@example.jp",
        "--Supervision:Subcontracts:DecideWithin=00:00:02");

    public async Task DisposeAsync() => await driver.DisposeAsync();

    [Fact]
    public async Task Qa_3_2_APriorApprovalRequest_Approved_IsHandedDataDown_AndTheChainShowsWhoHoldsWhatAtTier2()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.PriorApproval);
        string tier = await chain.RequestAsync(SubcontractChain.Request());

        JsonObject waiting = (await chain.TierAsync(tier))!;
        Assert.Equal("awaitingApproval", (string?)waiting["status"]);
        using (HttpResponseMessage early = await chain.PostHandoverAsync(tier, ["氏名"], 10, SubcontractChain.SubcontractorEmail))
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        using (HttpResponseMessage unscored = await chain.DecideAsync(tier, approved: true, "Due diligence satisfactory, enclosing only."))
            Assert.Equal(HttpStatusCode.Conflict, unscored.StatusCode);

        await chain.AnswerDueDiligenceAsync(tier);
        using (HttpResponseMessage approved = await chain.DecideAsync(tier, approved: true, "Due diligence satisfactory, enclosing only."))
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        string toContractor = await chain.HandOverAsync(null, ["氏名", "住所", "電話番号"], 1200, "yamada@example.co.jp");
        using (HttpResponseMessage notApproved = await chain.PostHandoverAsync(tier, ["電話番号"], 10, SubcontractChain.SubcontractorEmail))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notApproved.StatusCode);
            Assert.Contains("電話番号", (string?)(await notApproved.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["dataItems"]![0], StringComparison.Ordinal);
        }

        string down = await chain.HandOverAsync(tier, ["氏名", "住所"], 1000, SubcontractChain.SubcontractorEmail);
        await chain.AcknowledgeHandoverAsync(down, 1000);
        await Eventually.GetAsync(
            async () => (await driver.Host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{chain.Id}/handovers"))!["items"]!.AsArray()
                .Any(entry => (string?)entry!["id"] == down && (string?)entry["acknowledgement"]!["status"] == "acknowledged") ? "done" : null,
            EngagementDriver.Patience,
            "the subcontractor to acknowledge the handover");

        JsonObject result = await chain.ChainAsync();
        JsonObject contractor = result["contractor"]!.AsObject();
        Assert.Equal(1200, (long)contractor["recordsHeld"]!);
        JsonObject second = Assert.Single(contractor["children"]!.AsArray())!.AsObject();
        Assert.Equal(tier, (string?)second["id"]);
        Assert.Equal(2, (int)second["depth"]!);
        Assert.Equal(["contractor", tier], second["path"]!.AsArray().Select(node => (string?)node));
        Assert.Equal(SubcontractChain.Subcontractor, (string?)second["company"]);
        Assert.Equal("inForce", (string?)second["status"]);
        Assert.Equal("priorApproval", (string?)second["governedBy"]);
        Assert.Equal("approved", (string?)second["decision"]!["decision"]);
        Assert.Equal("test-supervisor", (string?)second["decision"]!["by"]);
        Assert.Equal("Due diligence satisfactory, enclosing only.", (string?)second["decision"]!["reason"]);
        Assert.NotNull((double?)second["dueDiligence"]!["percentage"]);
        Assert.Equal([("住所", 1000L), ("氏名", 1000L)], second["holds"]!.AsArray().Select(holding => ((string)holding!["dataItem"]!, (long)holding["records"]!)));
        Assert.Equal("staffingAgency", (string?)second["workStatement"]!["workers"]![1]!["affiliation"]);
        Assert.Equal("株式会社サンプル派遣", (string?)second["workStatement"]!["workers"]![1]!["employerName"]);
        Assert.NotEqual(toContractor, down);
    }

    [Fact]
    public async Task Qa_7_2_ATier2_RequestsTier3_ThroughItsOwnLink_AndTheDeepestTierGetsNoLink()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.Delegated);
        string second = await chain.RequestAsync(SubcontractChain.Request(policy: "delegated"));
        Assert.Equal("inForce", (string?)(await chain.TierAsync(second))!["status"]);

        using (HttpResponseMessage issued = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontract-links", new { tier = second }))
        {
            Assert.Equal(HttpStatusCode.Accepted, issued.StatusCode);
            Assert.Equal(SubcontractChain.SubcontractorEmail, (string?)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["mailedTo"]);
        }

        string token = await driver.LinkOfMailAsync(chain.Id, $@"{SubcontractLinks.RequestId(chain.Id, second)}\.link\.[0-9a-f]{{32}}");
        using HttpClient vendor = driver.Host.Anonymous();
        using (HttpResponseMessage otherTier = await vendor.PostAsync($"/api/vendor/{token}/subcontracts", EngagementDriver.Json(SubcontractChain.Request(parentTier: "contractor").ToJsonString())))
            Assert.Equal(HttpStatusCode.BadRequest, otherTier.StatusCode);
        using (HttpResponseMessage looser = await vendor.PostAsync($"/api/vendor/{token}/subcontracts", EngagementDriver.Json(SubcontractChain.Request("株式会社三次", "sanji@example.co.jp", ["氏名"], policy: "delegated").ToJsonString())))
            Assert.Equal(HttpStatusCode.Accepted, looser.StatusCode);

        JsonObject third = Assert.Single((await chain.TierAsync(second))!["children"]!.AsArray())!.AsObject();
        Assert.Equal(3, (int)third["depth"]!);
        Assert.Equal(second, (string?)third["parentId"]);
        Assert.Equal(["contractor", second, (string)third["id"]!], third["path"]!.AsArray().Select(node => (string?)node));
        Assert.Equal(["氏名"], third["dataItemsAllowed"]!.AsArray().Select(node => (string?)node));

        using HttpResponseMessage deepest = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontract-links", new { tier = (string)third["id"]! });
        Assert.Equal(HttpStatusCode.Conflict, deepest.StatusCode);
        using HttpResponseMessage fourth = await chain.PostRequestAsync(SubcontractChain.Request("株式会社四次", "yoji@example.co.jp", ["氏名"], policy: "delegated", parentTier: (string)third["id"]!));
        Assert.Equal(HttpStatusCode.BadRequest, fourth.StatusCode);
        Assert.Contains("depth", (await fourth.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(pair => pair.Key));
    }

    [Fact]
    public async Task Qa_3_1_AProhibitingContract_RefusesTheRequest_RecordingNothingButTheRefusal()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.Prohibited);

        using HttpResponseMessage refused = await chain.PostRequestAsync(SubcontractChain.Request());

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("prohibited", (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.Empty((await chain.ChainAsync())["contractor"]!["children"]!.AsArray());
        JsonArray trail = await driver.AuditAsync(chain.Id);
        Assert.Contains(trail, entry => (string?)entry!["action"] == "subcontract.refused");
        Assert.DoesNotContain(trail, entry => (string?)entry!["action"] == "subcontract.requested");
        using HttpResponseMessage link = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontract-links", new { });
        Assert.Equal(HttpStatusCode.Conflict, link.StatusCode);
    }

    [Fact]
    public async Task Qa_3_2_AReportAfterTheFact_IsInForceAtOnce_AndChasedUntilASupervisorAcknowledgesIt_ThenNeverAgain()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.ReportAfterTheFact);
        string tier = await chain.RequestAsync(SubcontractChain.Request(policy: "reportAfterTheFact"));
        Assert.Equal("inForce", (string?)(await chain.TierAsync(tier))!["status"]);
        Assert.True((bool)(await chain.TierAsync(tier))!["awaitsSupervisor"]!);

        await chain.AnswerDueDiligenceAsync(tier);
        await Eventually.GetAsync(
            () => Task.FromResult(driver.MailCount(chain.Id, $@"tier\.{tier}\.reminded\.1") == 1 ? "done" : null),
            EngagementDriver.Patience,
            "the supervisors to be reminded of the acknowledgement");
        using (HttpResponseMessage acknowledged = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontracts/{tier}/acknowledgement", new { note = "Seen; enclosing only." }))
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);

        await Eventually.GetAsync(
            async () => await driver.Host.Durable.GetInstanceAsync(Tiers.InstanceId(chain.Id, tier)) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } ? "done" : null,
            EngagementDriver.Patience,
            "the tier's workflow to end once acknowledged");
        int reminders = driver.MailCount(chain.Id, @"tier\.[0-9a-f]{32}\.(reminded\.[0-9]+|escalated)");
        JsonObject acknowledgedTier = (await chain.TierAsync(tier))!;
        Assert.False((bool)acknowledgedTier["awaitsSupervisor"]!);
        Assert.Equal("test-supervisor", (string?)acknowledgedTier["acknowledgement"]!["by"]);
        Assert.Equal(reminders, driver.MailCount(chain.Id, @"tier\.[0-9a-f]{32}\.(reminded\.[0-9]+|escalated)"));
        Assert.Contains(await driver.AuditAsync(chain.Id), entry => (string?)entry!["action"] == "subcontract.acknowledged");
    }

    [Fact]
    public async Task Suspension_StopsTheTiersLinks_AndRefusesHandoversToIt()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.Delegated);
        string tier = await chain.RequestAsync(SubcontractChain.Request(policy: "delegated"));
        string requestId = RequestIds.Derive(Tiers.InstanceId(chain.Id, tier), "due-diligence");
        string token = await driver.LinkOfMailAsync(chain.Id, $@"{requestId}\.request");
        using HttpClient vendor = driver.Host.Anonymous();
        using (HttpResponseMessage open = await vendor.GetAsync($"/vendor/{token}"))
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);

        using (HttpResponseMessage noReason = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontracts/{tier}/suspension", new { }))
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using (HttpResponseMessage byProcurement = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontracts/{tier}/suspension", new { reason = "Leak suspected at the enclosing site." }))
            Assert.Equal(HttpStatusCode.Forbidden, byProcurement.StatusCode);
        using (HttpResponseMessage suspended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontracts/{tier}/suspension", new { reason = "Leak suspected at the enclosing site." }))
            Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);

        using (HttpResponseMessage closed = await vendor.GetAsync($"/vendor/{token}"))
            Assert.Equal(HttpStatusCode.Gone, closed.StatusCode);
        await chain.HandOverAsync(null, ["氏名"], 10, "yamada@example.co.jp");
        using (HttpResponseMessage refused = await chain.PostHandoverAsync(tier, ["氏名"], 10, SubcontractChain.SubcontractorEmail))
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        JsonObject shown = (await chain.TierAsync(tier))!;
        Assert.Equal("suspended", (string?)shown["status"]);
        Assert.Equal("Leak suspected at the enclosing site.", (string?)shown["suspension"]!["reason"]);
        using HttpResponseMessage link = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{chain.Id}/subcontract-links", new { tier });
        Assert.Equal(HttpStatusCode.Conflict, link.StatusCode);
    }

    [Theory]
    [InlineData("dataItems", "クレジットカード番号")]
    [InlineData("clausesPassedOn", "LeakReporting")]
    [InlineData("policyForTheSubcontractor", "delegated")]
    [InlineData("workStatement.workers[0].affiliation", null)]
    public async Task Qa_3_2_ABadRequest_IsRefusedNamingTheField_AndNothingIsWritten(string field, string? named)
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.PriorApproval);
        JsonObject body = SubcontractChain.Request();
        switch (field)
        {
            case "dataItems":
                body["dataItems"] = new JsonArray("氏名", named);
                break;
            case "clausesPassedOn":
                body["clausesPassedOn"] = new JsonArray([.. ContractClauses.All.Where(clause => clause != ContractClause.LeakReporting).Select(clause => JsonValue.Create(clause.ToString()))]);
                break;
            case "policyForTheSubcontractor":
                body["policyForTheSubcontractor"] = named;
                break;
            default:
                body["workStatement"]!["workers"]![0]!.AsObject().Remove("affiliation");
                break;
        }

        using HttpResponseMessage refused = await chain.PostRequestAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        JsonObject errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains(field, errors.Select(pair => pair.Key));
        if (named is not null && field != "policyForTheSubcontractor")
            Assert.Contains(named, (string?)errors[field]![0], StringComparison.Ordinal);
        Assert.Empty((await chain.ChainAsync())["contractor"]!["children"]!.AsArray());
        Assert.DoesNotContain(await driver.AuditAsync(chain.Id), entry => ((string?)entry!["action"])!.StartsWith("subcontract.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subcontracting_AsksTheRightRole_AndTheSameKeyTwiceMakesOneTier()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.PriorApproval);
        using HttpClient auditor = driver.Host.As("test-auditor", "auditor");
        using (HttpResponseMessage forbidden = await chain.PostRequestAsync(SubcontractChain.Request(), client: auditor))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using HttpResponseMessage first = await chain.PostRequestAsync(SubcontractChain.Request(), "tier-2-enclosing");
        using HttpResponseMessage again = await chain.PostRequestAsync(SubcontractChain.Request(), "tier-2-enclosing");
        using HttpResponseMessage different = await chain.PostRequestAsync(SubcontractChain.Request(items: ["氏名"]), "tier-2-enclosing");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal((string?)(await first.Content.ReadFromJsonAsync<JsonObject>())!["id"], (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Single((await chain.ChainAsync())["contractor"]!["children"]!.AsArray());
        using HttpResponseMessage unknown = await chain.DecideAsync(new string('a', 32), approved: false, "No such tier here at all.");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
