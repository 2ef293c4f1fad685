using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Supervision.Closing;
using Supervision.Domain.Contracts;
using Supervision.Incidents;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Subcontracts;
using Supervision.Subcontracts;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Closing;

/// <summary>
/// The end of an engagement (2-4, 7-2, 7-3) end to end: the work ends, every tier that holds data returns or erases it
/// and certifies it through its own link — the deepest first, an answer that leaves an item out asked again — and the
/// engagement closes only then, which kills every link it still had.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ClosingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private EngagementDriver driver = null!;

    public async Task InitializeAsync() => driver = await EngagementDriver.StartAsync(azurite, "--Supervision:Requests:AnswerWithin=00:30:00");

    public async Task DisposeAsync() => await driver.DisposeAsync();

    private static string Today => ActiveEngagements.Date(ActiveEngagements.Today);

    private async Task<string> RequestTokenAsync(string id, string tier, int attempt, string? only = null)
    {
        string requestId = RequestIds.Derive(ClosingInput.InstanceId(id, only), $"{tier}.{attempt}");
        return await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
    }

    private async Task CertifyAsync(string token, string disposition, string method, params string[] items)
    {
        var answers = new JsonObject
        {
            [OpenReturnRequest.DispositionQuestion] = disposition,
            [OpenReturnRequest.MethodQuestion] = method,
            [OpenReturnRequest.PerformedOnQuestion] = Today,
            [OpenReturnRequest.PerformedByQuestion] = "加藤 次郎",
        };
        for (int i = 0; i < items.Length; i++)
            answers[OpenReturnRequest.ItemQuestion(i)] = items[i];
        await driver.AnswerAsync(token, answers);
        if (disposition == "erased")
            await driver.UploadAsync(token, "certificate-of-deletion.pdf", EngagementDriver.SignedContractPdf);
        await driver.SubmitAsync(token);
    }

    private Task<HttpResponseMessage> CloseAsync(string id, object body, HttpClient? client = null) =>
        (client ?? driver.Supervisor).PostAsJsonAsync($"/api/engagements/{id}/closure", body);

    [Fact]
    public async Task Qa_7_2_ATwoTierEngagement_Ends_EveryTierCertifiesBottomUp_ThenItClosesAndItsLinksDie()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.Delegated);
        string id = chain.Id;
        string tier = await chain.RequestAsync(SubcontractChain.Request(policy: "delegated"));
        await CompleteContract.ActivateAsync(driver.Host, id);
        await chain.HandOverAsync(null, ["氏名", "住所"], 1200, "yamada@example.co.jp");
        await chain.HandOverAsync(tier, ["氏名"], 1000, SubcontractChain.SubcontractorEmail);
        using (HttpResponseMessage issued = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/incident-links", new { }))
            Assert.Equal(HttpStatusCode.Accepted, issued.StatusCode);
        string incidentLink = await driver.LinkOfMailAsync(id, $@"{StandingLinks.RequestId(id, IncidentEndpoints.LinkRequestKind, "contractor")}\.link\.[0-9a-f]{{32}}");
        using (HttpResponseMessage subcontractLink = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/subcontract-links", new { }))
            Assert.Equal(HttpStatusCode.Accepted, subcontractLink.StatusCode);
        string requestLink = await driver.LinkOfMailAsync(id, $@"{SubcontractLinks.RequestId(id, "contractor")}\.link\.[0-9a-f]{{32}}");

        using (HttpResponseMessage vague = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/termination", new { reason = "end" }))
            Assert.Equal(HttpStatusCode.BadRequest, vague.StatusCode);
        using (HttpResponseMessage ended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/termination", new { reason = "The campaign was cancelled by marketing." }))
            Assert.Equal(HttpStatusCode.Accepted, ended.StatusCode);
        using (HttpResponseMessage late = await chain.PostHandoverAsync(null, ["氏名"], 5, "yamada@example.co.jp"))
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        using (HttpClient contractor = driver.Host.Anonymous())
        {
            // Nothing but the return and incidents is asked once the work has ended.
            using HttpResponseMessage noMoreSubcontracting = await contractor.GetAsync($"/vendor/{requestLink}");
            using HttpResponseMessage incidentsStillReported = await contractor.GetAsync($"/vendor/{incidentLink}");
            Assert.Equal(HttpStatusCode.Gone, noMoreSubcontracting.StatusCode);
            Assert.Equal(HttpStatusCode.OK, incidentsStillReported.StatusCode);
        }

        // The subcontractor first: the contractor is asked only once nothing is out below it.
        await CertifyAsync(await RequestTokenAsync(id, tier, 1), "erased", "overwrite (NIST 800-88 purge)", "yes");
        string contractorToken = await RequestTokenAsync(id, "contractor", 1);
        await CertifyAsync(contractorToken, "returned", "tracked courier 1234-5678", "yes", "no");
        await CertifyAsync(await RequestTokenAsync(id, "contractor", 2), "returned", "tracked courier 1234-5678", "yes", "yes");

        // 2-4: what was returned is back only once the principal acknowledges receiving it.
        await Eventually.GetAsync(
            async () => await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure") is { } view
                && view["missing"]!.AsArray().Select(node => (string?)node).SequenceEqual(["tier contractor: receipt of the return not acknowledged by the principal (2-4)"]) ? view : null,
            EngagementDriver.Patience,
            "every tier to certify, the return awaiting its receipt");
        using (HttpResponseMessage beforeItWasSent = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/closure/receipts", new { tier = "contractor", receivedOn = ActiveEngagements.Date(ActiveEngagements.Today.AddDays(-1)) }))
            Assert.Equal(HttpStatusCode.BadRequest, beforeItWasSent.StatusCode);
        using (HttpResponseMessage notATier = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/closure/receipts", new { tier = "a/b#c", receivedOn = Today }))
            Assert.Equal(HttpStatusCode.BadRequest, notATier.StatusCode);
        using (HttpResponseMessage erasedNotReturned = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/closure/receipts", new { tier, receivedOn = Today }))
            Assert.Equal(HttpStatusCode.Conflict, erasedNotReturned.StatusCode);
        using (HttpResponseMessage received = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/closure/receipts", new { tier = "contractor", receivedOn = Today }))
            Assert.Equal(HttpStatusCode.OK, received.StatusCode);

        JsonObject record = await Eventually.GetAsync(
            async () => await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure") is { } view && view["missing"]!.AsArray().Count == 0 ? view : null,
            EngagementDriver.Patience,
            "every tier to certify");
        Assert.Equal(["erased", "returned"], record["tiers"]!.AsArray().OrderByDescending(node => (int)node!["depth"]!).Select(node => ((string?)node!["certificate"]!["disposition"])!.ToLowerInvariant()));
        Assert.All(record["tiers"]!.AsArray(), node => Assert.True((bool)node!["counts"]!));
        Assert.Single(record["tiers"]!.AsArray().Single(node => (string?)node!["tier"] == tier)!["certificate"]!["evidenceIds"]!.AsArray());
        Assert.Contains(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "closing.refused");

        using (HttpResponseMessage byProcurement = await CloseAsync(id, new { reason = "Every tier certified; nothing out." }, driver.Procurement))
            Assert.Equal(HttpStatusCode.Forbidden, byProcurement.StatusCode);
        using (HttpResponseMessage closed = await CloseAsync(id, new { reason = "Every tier certified; nothing out." }))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
            Assert.Equal("Closed", (string?)(await closed.Content.ReadFromJsonAsync<JsonObject>())!["stage"]);
        }

        using (HttpResponseMessage again = await CloseAsync(id, new { reason = "Every tier certified; nothing out." }))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using HttpClient vendor = driver.Host.Anonymous();
        using HttpResponseMessage dead = await vendor.GetAsync($"/vendor/{incidentLink}");
        Assert.Equal(HttpStatusCode.Gone, dead.StatusCode);

        await AssertTheBundleListsEveryCertificateAsync(id, tier);
    }

    /// <summary>The auditors' bundle: every file listed in its manifest with its SHA-256, the tier's certificate among them; not for procurement.</summary>
    private async Task AssertTheBundleListsEveryCertificateAsync(string id, string tier)
    {
        using (HttpResponseMessage refused = await driver.Procurement.GetAsync($"/api/engagements/{id}/closure/bundle"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using HttpClient auditor = driver.Host.As("test-auditor", "auditor");
        using HttpResponseMessage bundle = await auditor.GetAsync($"/api/engagements/{id}/closure/bundle");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("application/zip", bundle.Content.Headers.ContentType?.MediaType);
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(await bundle.Content.ReadAsByteArrayAsync()));
        JsonObject manifest;
        using (var reader = new StreamReader(archive.GetEntry("manifest.json")!.Open()))
            manifest = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
        JsonArray files = manifest["files"]!.AsArray();
        Assert.Equal(archive.Entries.Select(entry => entry.FullName).Where(name => name != "manifest.json").Order(StringComparer.Ordinal), files.Select(file => (string)file!["path"]!).Order(StringComparer.Ordinal));
        Assert.Contains(files, file => ((string)file!["path"]!).StartsWith($"certificates/{tier}/", StringComparison.Ordinal));
        foreach (JsonNode? file in files)
        {
            using var bytes = new MemoryStream();
            await using (Stream entry = archive.GetEntry((string)file!["path"]!)!.Open())
                await entry.CopyToAsync(bytes);
            Assert.Equal((string?)file["sha256"], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray())));
        }

        using var trailReader = new StreamReader(archive.GetEntry("trail.json")!.Open());
        Assert.True((bool)JsonNode.Parse(await trailReader.ReadToEndAsync())!["verification"]!["isIntact"]!);
    }

    [Fact]
    public async Task Qa_3_2_ASuspendedTier_IsAskedAloneToReturnOrEraseWhatItHolds_WhileTheRestWorksOn()
    {
        SubcontractChain chain = await SubcontractChain.StartAsync(driver, SubcontractPolicy.Delegated);
        string id = chain.Id;
        string tier = await chain.RequestAsync(SubcontractChain.Request(policy: "delegated"));
        await CompleteContract.ActivateAsync(driver.Host, id);
        await chain.HandOverAsync(null, ["氏名", "住所"], 1200, "yamada@example.co.jp");
        await chain.HandOverAsync(tier, ["氏名"], 1000, SubcontractChain.SubcontractorEmail);

        using (HttpResponseMessage suspended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/subcontracts/{tier}/suspension", new { reason = "Leak suspected at the enclosing site.", revoke = true }))
            Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        await CertifyAsync(await RequestTokenAsync(id, tier, 1, only: tier), "erased", "physical destruction of the drives", "yes");

        JsonObject record = await Eventually.GetAsync(
            async () => await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure") is { } view
                && view["tiers"]!.AsArray().Any(node => (string?)node!["tier"] == tier && node["certificate"] is not null) ? view : null,
            EngagementDriver.Patience,
            "the revoked tier to certify its erasure");
        Assert.Equal("Active", (string?)record["stage"]);
        Assert.Null(record["tiers"]!.AsArray().Single(node => (string?)node!["tier"] == "contractor")!["certificate"]);
        Assert.Empty(driver.Mails(id, $@"{RequestIds.Derive(ClosingInput.InstanceId(id, tier), "contractor.1")}\.request"));
    }

    [Fact]
    public async Task Qa_7_5_DataATierMayKeepWithConsent_IsNotOwedBack_AndShowsOnTheCloseRecord()
    {
        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);
        await CompleteContract.ActivateAsync(driver.Host, id);
        var chain = new SubcontractChain(driver, id);
        await chain.HandOverAsync(null, ["氏名", "住所"], 300, "yamada@example.co.jp");

        using (HttpResponseMessage notHeld = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/kept-data", new { dataItem = "電話番号", consentBasis = "Customers signed up through the agent and consented." }))
            Assert.Equal(HttpStatusCode.BadRequest, notHeld.StatusCode);
        using (HttpResponseMessage kept = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/kept-data", new { dataItem = "住所", consentBasis = "Customers signed up through the agent and consented." }))
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        using (HttpResponseMessage ended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/termination", new { reason = "The agency contract ended as planned." }))
            Assert.Equal(HttpStatusCode.Accepted, ended.StatusCode);

        await CertifyAsync(await RequestTokenAsync(id, "contractor", 1), "returned", "tracked courier 9876", "yes");
        await Eventually.GetAsync(
            async () => await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure") is { } view
                && view["tiers"]![0]!["certificate"] is not null ? view : null,
            EngagementDriver.Patience,
            "the contractor to certify what it owes");
        using (HttpResponseMessage received = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/closure/receipts", new { receivedOn = Today }))
            Assert.Equal(HttpStatusCode.OK, received.StatusCode);

        // The reverse flow (7-5): data the agent gathered comes to the principal only under the agreement and with consent.
        var prospects = new { dataItem = "見込み客の氏名・電話番号", records = 40, agreement = "Agency contract art. 12 (hand-over of prospects)", consentBasis = "Consent on the campaign entry form", receivedOn = Today };
        using (HttpResponseMessage noConsent = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/reverse-handovers", prospects with { consentBasis = "" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noConsent.StatusCode);
            Assert.Contains("consentBasis", await noConsent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage accepted = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/reverse-handovers", prospects))
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        using (HttpResponseMessage repeated = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/reverse-handovers", prospects))
            Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);

        JsonObject record = await Eventually.GetAsync(
            async () => await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure") is { } view && view["missing"]!.AsArray().Count == 0 ? view : null,
            EngagementDriver.Patience,
            "the contractor to certify what it owes");
        JsonObject contractor = Assert.Single(record["tiers"]!.AsArray())!.AsObject();
        Assert.Equal(["氏名"], contractor["owed"]!.AsArray().Select(holding => (string?)holding!["dataItem"]));
        Assert.Equal("住所", (string?)Assert.Single(contractor["kept"]!.AsArray())!["dataItem"]);
        Assert.Equal(40, (int)Assert.Single(record["reverseHandovers"]!.AsArray())!["records"]!);
        Assert.Single(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "closing.reverse-handover-recorded");
    }

    [Fact]
    public async Task Qa_7_3_PaperStillCheckedOut_KeepsAnEndedEngagementFromClosing_UntilItIsBack()
    {
        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);
        await CompleteContract.ActivateAsync(driver.Host, id);
        using (HttpResponseMessage checkedOut = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/checkouts", new { itemDescription = "Application forms, batch 7", checkedOutOn = Today, dueBack = Today }))
            Assert.Equal(HttpStatusCode.Accepted, checkedOut.StatusCode);
        string checkoutId = (string)(await driver.Procurement.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/checkouts"))!["items"]![0]!["id"]!;
        using (HttpResponseMessage ended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/termination", new { reason = "The contractor is being replaced." }))
            Assert.Equal(HttpStatusCode.Accepted, ended.StatusCode);

        using (HttpResponseMessage blocked = await CloseAsync(id, new { reason = "Nothing was handed over electronically." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
            Assert.Contains("7-3", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage back = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/checkouts/{checkoutId}/return", new { returnedOn = Today }))
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        using HttpResponseMessage closed = await CloseAsync(id, new { reason = "Forms returned; nothing else was held." });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }
}
