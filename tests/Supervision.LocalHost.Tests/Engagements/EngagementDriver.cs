using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Moq;
using Supervision.Domain.Contracts;
using Supervision.LocalHost.Tests.Engine;
using Supervision.LocalHost.Tests.Http;
using Supervision.Testing;
using Supervision.Vendors;
using Match = System.Text.RegularExpressions.Match;

namespace Supervision.LocalHost.Tests.Engagements;

/// <summary>
/// Drives one engagement through the running local host the way people do: procurement over the API, the contractor
/// through the links the outbox received, staff reading the state. Shared by the workflow tests of every stage.
/// </summary>
public sealed partial class EngagementDriver : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A PDF's first bytes: enough for the content-signature check.</summary>
    public static readonly byte[] SignedContractPdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% signed contract\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    /// <summary>The contract's term and complete, acceptable handover terms of 2-4, as procurement records them.</summary>
    public const string ContractTerms = """
        {"startsOn":"2027-04-01","endsOn":"2028-03-31","terms":{
          "dataItems":["name","address"],"transferMethod":"encryptedTransfer","ledgersOnBothSides":true,
          "principalResponsible":{"name":"佐藤 花子","role":"個人情報管理責任者"},"contractorResponsible":{"name":"山田 太郎","role":"CISO"},
          "leakPreventionMeasures":"Encrypted storage, no USB media, access logs reviewed weekly.",
          "noRemovalFromWorkSite":true,"noProcessingBeyondContract":true,
          "endOfWork":{"method":"erasure","withinDaysAfterEnd":30,"certificateRequired":true,"witnessedByPrincipal":false},
          "reporting":{"content":"Handling status, leak countermeasures, staff changes, subcontractors in use.","frequency":"monthly"},
          "principalMayAudit":true,"subcontracting":"priorApproval","measuresOnNonCompliance":"Suspension of handover and termination.",
          "incidentReporting":{"notifyWithinHours":24,"contactPoint":"soc@example.jp"}}}
        """;

    /// <summary>The mail-key pattern (a regular expression) of the selection questionnaire's mail.</summary>
    public const string DueDiligenceMail = @"dd\.request";

    /// <summary>The mail-key pattern of the request mail of a workflow-chosen request id.</summary>
    public const string RequestMail = @"[0-9a-f]{32}\.request";

    /// <summary>The mail-key pattern of reminder <paramref name="number"/> of any request.</summary>
    public static string ReminderMail(int number) => $@"[0-9a-f]{{32}}\.reminder\.{number}";

    private readonly HttpClient storage = new();
    private readonly RunningLocalHost host;
    private readonly string outbox;

    private EngagementDriver(RunningLocalHost host, string outbox)
    {
        this.host = host;
        this.outbox = outbox;
        Supervisor = host.As("test-supervisor", "supervisor");
        Procurement = host.As("test-procurement", "procurement");
    }

    public RunningLocalHost Host => host;

    /// <summary>Where the host's mail goes, one .eml file per mail.</summary>
    public string Outbox => outbox;

    public HttpClient Supervisor { get; }

    public HttpClient Procurement { get; }

    /// <summary>Starts a local host whose mail goes to an outbox of its own, with <paramref name="settings"/> (<c>--Key=Value</c>).</summary>
    public static async Task<EngagementDriver> StartAsync(AzuriteFixture azurite, params string[] settings)
    {
        string outbox = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outbox);
        RunningLocalHost host = await RunningLocalHost.StartAsync(azurite, [$"--Supervision:Mail:OutboxDirectory={outbox}", .. settings]);
        return new EngagementDriver(host, outbox);
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async Task<string> StartEngagementAsync()
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

    /// <summary>The outbox files of mails keyed <c>{id}.{suffix}</c>, <paramref name="suffix"/> a regular expression, oldest first.</summary>
    public string[] Mails(string id, string suffix)
    {
        var key = new Regex($@"-{id}\.{suffix}\.eml$", RegexOptions.None, TimeSpan.FromSeconds(1));
        return [.. Directory.GetFiles(outbox, $"*-{id}.*.eml").Where(file => key.IsMatch(file)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Waits for the outbox mail keyed <c>{id}.{suffix}</c> and answers the token of the /vendor/ link it carries.</summary>
    public async Task<string> LinkOfMailAsync(string id, string suffix)
    {
        string file = await Eventually.GetAsync(
            () => Task.FromResult(Mails(id, suffix).FirstOrDefault()),
            Patience,
            $"the {suffix} mail");
        using MimeMessage message = await MimeMessage.LoadAsync(file);
        Match link = VendorLink().Match(message.TextBody ?? string.Empty);
        Assert.True(link.Success, $"the {suffix} mail carries a /vendor/ link");
        return link.Groups["token"].Value;
    }

    public int MailCount(string id, string suffix) => Mails(id, suffix).Length;

    public async Task AnswerAsync(string token, JsonObject answers)
    {
        using HttpClient vendor = host.Anonymous();
        using HttpResponseMessage answered = await vendor.PostAsync($"/api/vendor/{token}/answers", Json(new JsonObject { ["answers"] = answers }.ToJsonString()));
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads a file the way the page does: declare, PUT to the upload URL, complete. Answers the evidence id.</summary>
    public async Task<string> UploadAsync(string token, string fileName, byte[] bytes)
    {
        using HttpClient vendor = host.Anonymous();
        using HttpResponseMessage begun = await vendor.PostAsync($"/api/vendor/{token}/uploads", JsonContent.Create(new
        {
            fileName,
            size = bytes.Length,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        }));
        Assert.Equal(HttpStatusCode.Created, begun.StatusCode);
        JsonObject ticket = (await begun.Content.ReadFromJsonAsync<JsonObject>())!;
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri((string)ticket["uploadUrl"]!)) { Content = new ByteArrayContent(bytes) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using HttpResponseMessage stored = await storage.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        string evidenceId = (string)ticket["evidenceId"]!;
        using HttpResponseMessage completed = await vendor.PostAsync($"/api/vendor/{token}/uploads/{evidenceId}/complete", null);
        Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());
        return evidenceId;
    }

    public async Task SubmitAsync(string token)
    {
        using HttpClient vendor = host.Anonymous();
        using HttpResponseMessage submitted = await vendor.PostAsync($"/api/vendor/{token}/submit", Json("{}"));
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
    }

    /// <summary>Every answer of the selection questionnaire favourable, with <paramref name="more"/> answers besides, submitted.</summary>
    public async Task AnswerDueDiligenceAndSubmitAsync(string token, JsonObject? more = null)
    {
        await AnswerDueDiligenceAsync(token, more);
        await SubmitAsync(token);
    }

    /// <summary>Every answer of the selection questionnaire favourable, with <paramref name="more"/> answers besides.</summary>
    public Task AnswerDueDiligenceAsync(string token, JsonObject? more = null) => AnswerAsync(token, DueDiligenceAnswers(more));

    /// <summary>Every answer of the selection questionnaire favourable, with <paramref name="more"/> answers besides.</summary>
    public static JsonObject DueDiligenceAnswers(JsonObject? more = null)
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
        foreach ((string id, JsonNode? answer) in more ?? [])
            answers[id] = answer?.DeepClone();
        return answers;
    }

    /// <summary>
    /// Submits through the library's endpoint as the host would, but with a durable client whose raise fails: the engine
    /// unreachable at the worst moment. Answers the HTTP status the contractor gets.
    /// </summary>
    public async Task<int> SubmitWhileTheEngineIsUnreachableAsync(string token)
    {
        Mock<DurableTaskClient> unreachable = UnreachableEngine.Client();
        var http = new DefaultHttpContext { RequestServices = host.Services };
        http.Response.Body = new MemoryStream();
        IResult result = await host.Services.GetRequiredService<VendorEndpoints>().SubmitAsync(http.Request, token, unreachable.Object, CancellationToken.None);
        await result.ExecuteAsync(http);
        unreachable.Verify(client => client.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once());
        return http.Response.StatusCode;
    }

    public static Task<HttpResponseMessage> DecideAsync(HttpClient client, string id, bool approve, string reason) =>
        client.PostAsJsonAsync($"/api/engagements/{id}/selection-decision", new { approve, reason });

    /// <summary>From onboarding to an approved selection: the contract is asked of the contractor, and the engagement waits for it.</summary>
    public async Task<string> SelectedEngagementAsync()
    {
        string id = await StartEngagementAsync();
        await AnswerDueDiligenceAndSubmitAsync(await LinkOfMailAsync(id, DueDiligenceMail));
        await StageAsync(id, "underReview");
        using HttpResponseMessage decided = await DecideAsync(Supervisor, id, approve: true, "Strong safeguards and a named manager.");
        Assert.Equal(HttpStatusCode.Accepted, decided.StatusCode);
        await Eventually.GetAsync(
            async () => await StateAsync(id) is { } state && state["contract"]?["requestId"] is not null ? state : null,
            Patience,
            "the contract to be requested from the contractor");
        return id;
    }

    /// <summary>The contractor's part of the contract through its link: the signed copy, and its answer on the split of responsibility.</summary>
    public async Task<string> SubmitSignedContractAsync(string token, bool agreeSplit)
    {
        string signedCopy = await UploadAsync(token, "contract-signed.pdf", SignedContractPdf);
        await AnswerAsync(token, new JsonObject { ["responsibilitySplitAgreed"] = agreeSplit ? "yes" : "no", ["signedOn"] = "2027-03-20" });
        await SubmitAsync(token);
        return signedCopy;
    }

    /// <summary>Procurement records the contract's term and handover terms: <see cref="ContractTerms"/> unless <paramref name="body"/> is given.</summary>
    public async Task RecordTermsAsync(string id, string? body = null)
    {
        using HttpResponseMessage terms = await Procurement.PutAsync($"/api/engagements/{id}/contract/terms", Json(body ?? ContractTerms));
        Assert.Equal(HttpStatusCode.OK, terms.StatusCode);
    }

    public Task<HttpResponseMessage> ConfirmClauseAsync(string id, ContractClause clause) =>
        Supervisor.PostAsJsonAsync(
            $"/api/engagements/{id}/contract/clauses/{JsonNamingPolicy.CamelCase.ConvertName(clause.ToString())}/confirmation",
            new { article = $"第{(int)clause + 1}条" });

    public async Task ConfirmClausesAsync(string id, IEnumerable<ContractClause> clauses)
    {
        foreach (ContractClause clause in clauses)
        {
            using HttpResponseMessage confirmed = await ConfirmClauseAsync(id, clause);
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
    }

    public async Task<JsonObject> StageAsync(string id, string stage)
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

    public async Task<JsonObject> StateAsync(string id) => (await host.Http.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}"))!;

    public async Task<JsonArray> AuditAsync(string id) =>
        (await Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit"))!["entries"]!.AsArray();

    public async ValueTask DisposeAsync()
    {
        storage.Dispose();
        Supervisor.Dispose();
        Procurement.Dispose();
        await host.DisposeAsync();
        Directory.Delete(outbox, recursive: true);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/vendor/(?<token>[^\s""<>]+)")]
    private static partial Regex VendorLink();
}
