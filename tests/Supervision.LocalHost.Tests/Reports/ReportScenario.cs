using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using Supervision.Domain.Contracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Reports;

/// <summary>
/// An engagement past its contract, as the reports tests need it: started over HTTP, then given a complete contract
/// (clauses, 2-4 terms with monthly reporting, a three-month term) directly on its row.
/// </summary>
internal sealed partial class ReportScenario(HttpClient procurement, HttpClient supervisor, string outbox)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public string EngagementId { get; private set; } = string.Empty;

    public async Task StartAsync(EngagementStore store, DateTimeOffset completedAt)
    {
        const string body = """
            {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"en"},
             "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
             "plannedStart":"2027-01-01","plannedEnd":"2027-03-31"}
            """;
        using HttpResponseMessage started = await procurement.PostAsync("/api/engagements", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        EngagementId = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await CompleteContractAsync(store, EngagementId, completedAt);
    }

    public static Task CompleteContractAsync(EngagementStore store, string engagementId, DateTimeOffset completedAt) =>
        store.UpdateAsync(engagementId, row =>
        {
            row.SetClauses(ContractClauses.All);
            row.HandoverTerms = JsonSerializer.Serialize(
                new HandoverTerms { DataItems = ["name", "address"], Reporting = new ReportingTerms("取扱状況、漏えい防止策、従事者の変更、再委託先", ReportFrequency.Monthly) },
                ApiJson.Options);
            row.ContractStartsOn = "2027-01-01";
            row.ContractEndsOn = "2027-03-31";
            row.ContractCompletedAt = completedAt;
            return true;
        }, CancellationToken.None);

    public async Task<JsonArray> ReportsAsync() =>
        (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{EngagementId}/reports"))!["reports"]!.AsArray();

    /// <summary>Waits for period <paramref name="period"/>'s row at <paramref name="attempt"/> (and, if given, status) and answers it.</summary>
    public Task<JsonObject> ReportAsync(int period, int attempt = 1, string? status = null) =>
        Eventually.GetAsync(
            async () => (await ReportsAsync()).FirstOrDefault(report =>
                (int)report!["period"]! == period && (int)report["attempt"]! == attempt && (status is null || (string?)report["status"] == status))?.AsObject(),
            Patience,
            $"report {period} attempt {attempt} {status}");

    /// <summary>Waits for the outbox mail of key <c>{engagementId}.{requestId}.{what}</c> and answers the token of its /vendor/ link.</summary>
    public async Task<string> LinkOfMailAsync(string requestId, string what)
    {
        string file = await Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(outbox, $"*-{EngagementId}.{requestId}.{what}.eml").FirstOrDefault()),
            Patience,
            $"the {what} mail of {requestId}");
        using MimeMessage message = await MimeMessage.LoadAsync(file);
        Match link = VendorLink().Match(message.TextBody ?? string.Empty);
        Assert.True(link.Success, $"the {what} mail carries a /vendor/ link");
        return link.Groups["token"].Value;
    }

    public int MailCount(string requestId, string what) => Directory.GetFiles(outbox, $"*-{EngagementId}.{requestId}.{what}.eml").Length;

    /// <summary>The report request mails of this engagement: every request mail but the selection questionnaire's.</summary>
    public int ReportRequestMails() => Directory.GetFiles(outbox, $"*-{EngagementId}.*.request.eml").Count(file => !file.EndsWith(".dd.request.eml", StringComparison.Ordinal));

    public static async Task SubmitAsync(HttpClient vendor, string token)
    {
        var answers = new JsonObject
        {
            ["handling-status"] = "1,204 records printed and returned; ledger reconciled.",
            ["leak-countermeasures"] = "Access logs reviewed weekly; no incidents.",
            ["staff-changed"] = "no",
            ["subcontractors"] = "none",
        };
        using HttpResponseMessage answered = await vendor.PostAsync($"/api/vendor/{token}/answers", Json(new JsonObject { ["answers"] = answers }.ToJsonString()));
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        using HttpResponseMessage submitted = await vendor.PostAsync($"/api/vendor/{token}/submit", Json("{}"));
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
    }

    public Task<HttpResponseMessage> ReviewAsync(int period, bool accept, string? reason) =>
        supervisor.PostAsJsonAsync($"/api/engagements/{EngagementId}/reports/{period}/review", new { accept, reason });

    public async Task AcceptAsync(int period)
    {
        using HttpResponseMessage accepted = await ReviewAsync(period, accept: true, "Complete and consistent with the ledger.");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    public async Task<JsonArray> AuditAsync() =>
        (await supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{EngagementId}/audit"))!["entries"]!.AsArray();

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [GeneratedRegex(@"https?://[^\s""<>]+/vendor/(?<token>[^\s""<>]+)")]
    private static partial Regex VendorLink();
}
