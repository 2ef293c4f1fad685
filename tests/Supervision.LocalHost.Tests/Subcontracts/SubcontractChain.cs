using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Supervision.Domain.Contracts;
using Supervision.Handovers;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Subcontracts;

/// <summary>
/// Drives the chain of one engagement the way people do: staff request subcontractors and decide, subcontractors answer
/// their due diligence through the links the outbox received, handovers go down the ledger and are acknowledged.
/// </summary>
internal sealed class SubcontractChain(EngagementDriver driver, string engagementId)
{
    public const string Subcontractor = "株式会社封入センター";
    public const string SubcontractorEmail = "kato@fuunyu.example.co.jp";

    public string Id => engagementId;

    /// <summary>An engagement whose contract is complete under <paramref name="policy"/> (items 氏名, 住所, 電話番号).</summary>
    public static async Task<SubcontractChain> StartAsync(EngagementDriver driver, SubcontractPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(driver);
        string id = await driver.StartEngagementAsync();
        await CompleteContract.SetAsync(driver.Host, id, ContractClauses.All, CompleteContract.Terms() with { Subcontracting = policy }, splitAgreed: true, CompleteContract.SignedContractEvidenceId);
        return new SubcontractChain(driver, id);
    }

    /// <summary>A complete, valid request body: every clause passed on, a work statement, the signed copy.</summary>
    public static JsonObject Request(
        string company = Subcontractor, string email = SubcontractorEmail, string[]? items = null, string policy = "priorApproval", string? parentTier = null, bool? attests = null)
    {
        var body = new JsonObject
        {
            ["subcontractor"] = new JsonObject
            {
                ["name"] = company,
                ["contact"] = new JsonObject { ["name"] = "加藤 次郎", ["email"] = email, ["preferredLanguage"] = "ja" },
            },
            ["work"] = "DMの封入・封緘",
            ["dataItems"] = new JsonArray([.. (items ?? ["氏名", "住所"]).Select(item => JsonValue.Create(item))]),
            ["workSite"] = "埼玉県さいたま市 封入センター第2工場",
            ["plannedStart"] = "2027-02-01",
            ["plannedEnd"] = "2027-12-31",
            ["clausesPassedOn"] = new JsonArray([.. ContractClauses.All.Select(clause => JsonValue.Create(clause.ToString()))]),
            ["policyForTheSubcontractor"] = policy,
            ["workStatement"] = new JsonObject
            {
                ["processSteps"] = new JsonArray("receive", "enclose", "completionReport", "returnOrErase"),
                ["manager"] = new JsonObject { ["name"] = "加藤 次郎", ["role"] = "工場長", ["affiliation"] = "thisTier", ["trained"] = true },
                ["workers"] = new JsonArray(
                    new JsonObject { ["name"] = "小林 三郎", ["role"] = "封入作業", ["affiliation"] = "thisTier", ["trained"] = true },
                    new JsonObject { ["name"] = "中村 四郎", ["role"] = "封入作業", ["affiliation"] = "staffingAgency", ["employerName"] = "株式会社サンプル派遣", ["trained"] = false }),
                ["workLocation"] = "subcontractorSite",
                ["homePcAllowed"] = false,
                ["accessLogReview"] = "weekly",
            },
            ["signedSubcontract"] = new JsonObject { ["fileName"] = "subcontract-signed.pdf", ["contentBase64"] = Convert.ToBase64String(EngagementDriver.SignedContractPdf) },
        };
        if (parentTier is not null)
            body["parentTier"] = parentTier;
        if (attests is not null)
            body["attestsCriteriaMet"] = attests;
        return body;
    }

    public async Task<HttpResponseMessage> PostRequestAsync(JsonObject body, string? idempotencyKey = null, HttpClient? client = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/engagements/{engagementId}/subcontracts") { Content = EngagementDriver.Json(body.ToJsonString()) };
        if (idempotencyKey is not null)
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        return await (client ?? driver.Procurement).SendAsync(message);
    }

    /// <summary>Requests a subcontractor as staff and answers its tier id.</summary>
    public async Task<string> RequestAsync(JsonObject body)
    {
        using HttpResponseMessage response = await PostRequestAsync(body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>The subcontractor answers its due diligence through the link it was mailed; waits for the score.</summary>
    public async Task AnswerDueDiligenceAsync(string tierId)
    {
        string requestId = RequestIds.Derive(Tiers.InstanceId(engagementId, tierId), "due-diligence");
        string token = await driver.LinkOfMailAsync(engagementId, $@"{requestId}\.request");
        await driver.AnswerDueDiligenceAndSubmitAsync(token);
        await Eventually.GetAsync(async () => (await TierAsync(tierId))?["dueDiligence"]?["percentage"] is not null ? "done" : null, EngagementDriver.Patience, "the subcontractor's due diligence to be scored");
    }

    public Task<HttpResponseMessage> DecideAsync(string tierId, bool approved, string? reason, HttpClient? client = null) =>
        (client ?? driver.Supervisor).PostAsJsonAsync($"/api/engagements/{engagementId}/subcontracts/{tierId}/decision", new { approved, reason });

    public async Task<JsonObject> ChainAsync()
    {
        using HttpResponseMessage response = await driver.Supervisor.GetAsync($"/api/engagements/{engagementId}/chain");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The tier anywhere in the tree, or null.</summary>
    public async Task<JsonObject?> TierAsync(string tierId) => Find((await ChainAsync())["contractor"]!.AsObject(), tierId);

    /// <summary>Records a handover (to the contractor, or down the chain to <paramref name="toTier"/>) and answers its id.</summary>
    public async Task<HttpResponseMessage> PostHandoverAsync(string? toTier, string[] items, int records, string receiverEmail)
    {
        var body = new JsonObject
        {
            ["dataItems"] = new JsonArray([.. items.Select(item => JsonValue.Create(item))]),
            ["recordCount"] = records,
            ["medium"] = "onlineTransfer",
            ["transferMethod"] = "encryptedTransfer",
            ["senderName"] = "佐藤 花子",
            ["receiverName"] = "受領 担当",
            ["receiverEmail"] = receiverEmail,
            ["handedOverOn"] = ActiveEngagements.Date(ActiveEngagements.Today),
        };
        if (toTier is not null)
            body["toTier"] = toTier;
        return await driver.Procurement.PostAsync($"/api/engagements/{engagementId}/handovers", EngagementDriver.Json(body.ToJsonString()));
    }

    public async Task<string> HandOverAsync(string? toTier, string[] items, int records, string receiverEmail)
    {
        using HttpResponseMessage response = await PostHandoverAsync(toTier, items, records, receiverEmail);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    /// <summary>The receiver acknowledges the handover through its link, as described and counted.</summary>
    public async Task AcknowledgeHandoverAsync(string handoverId, int records)
    {
        string requestId = RequestIds.Derive(HandoverEndpoints.HandoverInstanceId(engagementId, handoverId), "acknowledgement");
        string token = await driver.LinkOfMailAsync(engagementId, $@"{requestId}\.request");
        await driver.AnswerAsync(token, new JsonObject
        {
            [OpenHandoverAcknowledgement.ReceivedQuestion] = "yes",
            [OpenHandoverAcknowledgement.CountQuestion] = records.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await driver.SubmitAsync(token);
    }

    private static JsonObject? Find(JsonObject tier, string tierId) =>
        (string?)tier["id"] == tierId ? tier : tier["children"]!.AsArray().Select(child => Find(child!.AsObject(), tierId)).FirstOrDefault(found => found is not null);
}
