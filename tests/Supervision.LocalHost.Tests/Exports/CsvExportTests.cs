using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using Supervision.Closing;
using Supervision.Handovers;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Subcontracts;
using Supervision.Testing;
using Supervision.Vendors;

namespace Supervision.LocalHost.Tests.Exports;

/// <summary>
/// The CSV exports end to end: read back with CsvHelper, each is exactly what its JSON route answers, opens in a
/// spreadsheet (UTF-8 with a BOM, Japanese intact, RFC 4180 quoting, formulas escaped), and is for supervisors and
/// auditors only.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class CsvExportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly string[] TrailColumns = ["sequence", "at", "actor", "action", "details", "previousHash", "hash"];

    private static readonly string[] LedgerColumns =
    [
        "handoverId", "toTier", "dataItems", "recordCount", "medium", "transferMethod", "senderName", "receiverName", "receiverEmail",
        "handedOverOn", "recordedBy", "recordedAt", "acknowledgementStatus", "acknowledgedAt", "disputedAt", "recordsReceived", "remark",
        "returnDisposition", "returnMethod", "returnPerformedOn", "returnPerformedBy", "returnCertifiedAt", "returnCounts", "keptWithConsent",
    ];

    /// <summary>A remark with everything CSV must quote: a comma, a double quote and a line break.</summary>
    private const string AwkwardRemark = "300件受領, ただし\"住所\"の一部に誤記あり\n再送を依頼済み";

    /// <summary>A sender name a spreadsheet would run as a formula.</summary>
    private const string FormulaLikeName = "=1+1 佐藤";

    private EngagementDriver driver = null!;
    private HttpClient auditor = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(azurite, "--Supervision:Requests:AnswerWithin=00:30:00");
        auditor = driver.Host.As("test-auditor", "auditor");
    }

    public async Task DisposeAsync()
    {
        auditor.Dispose();
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task TrailCsv_EqualsTheVerifiedTrail_WithBom_AndTheExportGoesOnTheTrail()
    {
        string id = await driver.StartEngagementAsync();
        await Eventually.UntilAsync(
            async () => (await driver.AuditAsync(id)).Any(entry => (string?)entry!["action"] == "mail.sent"),
            EngagementDriver.Patience,
            "the workflow to mail the questionnaire");

        using HttpResponseMessage response = await auditor.GetAsync($"/api/engagements/{id}/audit.csv");

        byte[] body = await AssertCsvAttachmentAsync(response, $"engagement-{id}-audit.csv");
        (IReadOnlyList<string> header, List<Dictionary<string, string>> rows) = Parse(body);
        Assert.Equal(TrailColumns, header);
        JsonArray trail = await driver.AuditAsync(id);
        Assert.True(trail.Count > rows.Count, "the export is on the trail after the entries it holds");
        for (int i = 0; i < rows.Count; i++)
        {
            JsonNode entry = trail[i]!;
            Dictionary<string, string> row = rows[i];
            Assert.Equal(((long)entry["sequence"]!).ToString(CultureInfo.InvariantCulture), row["sequence"]);
            AssertSameUtcInstant((string?)entry["at"], row["at"]);
            Assert.Equal((string?)entry["actor"], row["actor"]);
            Assert.Equal((string?)entry["action"], row["action"]);
            Assert.True(JsonNode.DeepEquals(entry["details"], JsonNode.Parse(row["details"])), $"details of entry {i + 1}: {row["details"]}");
            Assert.Equal((string?)entry["previousHash"], row["previousHash"]);
            Assert.Equal((string?)entry["hash"], row["hash"]);
        }

        Assert.Equal("株式会社サンプル印刷", (string?)JsonNode.Parse(rows[0]["details"])!["contractor"]);
        JsonNode exported = trail[rows.Count]!;
        Assert.Equal("audit.exported", (string?)exported["action"]);
        Assert.Equal("staff:test-auditor", (string?)exported["actor"]);
        Assert.Equal(rows[^1]["hash"], (string?)exported["details"]!["lastHash"]);
        JsonObject verification = (await auditor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit/verification"))!;
        Assert.True((bool)verification["isIntact"]!, (string?)verification["reason"]);
    }

    [Fact]
    public async Task LedgerCsv_EqualsTheLedger_WithTheTierItWentToAndItsReturn_QuotingCommasQuotesNewlinesAndFormulas()
    {
        string id = await driver.StartEngagementAsync();
        await CompleteContract.ApplyAsync(driver.Host, id);
        await CompleteContract.ActivateAsync(driver.Host, id);
        var chain = new SubcontractChain(driver, id);
        string first = await chain.HandOverAsync(null, ["氏名", "住所"], 300, "yamada@example.co.jp");
        await AcknowledgeWithRemarkAsync(id, first, records: 300, AwkwardRemark);
        string second = await HandOverFromAsync(id, FormulaLikeName, ["電話番号"], 120);
        using (HttpResponseMessage kept = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/kept-data", new { dataItem = "住所", consentBasis = "Customers signed up through the agent and consented." }))
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        using (HttpResponseMessage ended = await driver.Supervisor.PostAsJsonAsync($"/api/engagements/{id}/termination", new { reason = "The campaign ended as planned." }))
            Assert.Equal(HttpStatusCode.Accepted, ended.StatusCode);
        await CertifyReturnAsync(id, "returned", "追跡番号 1234-5678, 書留", items: 2);
        await Eventually.GetAsync(
            async () => await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure") is { } view && view["tiers"]![0]!["certificate"] is not null ? view : null,
            EngagementDriver.Patience,
            "the contractor to certify its return");
        using (HttpResponseMessage received = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/closure/receipts", new { receivedOn = ActiveEngagements.Date(ActiveEngagements.Today) }))
            Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        JsonObject closure = (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure"))!;
        Assert.Empty(closure["missing"]!.AsArray());

        using HttpResponseMessage response = await driver.Supervisor.GetAsync($"/api/engagements/{id}/handovers.csv");

        byte[] body = await AssertCsvAttachmentAsync(response, $"engagement-{id}-handovers.csv");
        (IReadOnlyList<string> header, List<Dictionary<string, string>> rows) = Parse(body);
        Assert.Equal(LedgerColumns, header);
        JsonArray ledger = (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/handovers"))!["items"]!.AsArray();
        Assert.Equal([first, second], rows.Select(row => row["handoverId"]));
        Assert.Equal(ledger.Select(item => (string?)item!["id"]), rows.Select(row => row["handoverId"]));
        JsonNode contractor = closure["tiers"]!.AsArray().Single(tier => (string?)tier!["tier"] == "contractor")!;
        for (int i = 0; i < rows.Count; i++)
            AssertRowIsTheHandoverAndItsReturn(ledger[i]!, contractor, rows[i]);

        Assert.Equal(AwkwardRemark, rows[0]["remark"]);
        Assert.Contains("\"" + AwkwardRemark.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(["住所"], JsonNode.Parse(rows[0]["keptWithConsent"])!.AsArray().Select(item => (string?)item));
        Assert.Empty(JsonNode.Parse(rows[1]["keptWithConsent"])!.AsArray());
        Assert.Equal("'" + FormulaLikeName, rows[1]["senderName"]);
        Assert.Contains(await driver.AuditAsync(id), entry => (string?)entry!["action"] == "handover.ledger-exported" && (string?)entry["actor"] == "staff:test-supervisor");
    }

    [Theory]
    [InlineData("audit.csv")]
    [InlineData("handovers.csv")]
    public async Task CsvExports_Answer403ProblemDetails_ToProcurement(string export)
    {
        string id = await driver.StartEngagementAsync();

        using HttpResponseMessage response = await driver.Procurement.GetAsync($"/api/engagements/{id}/{export}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", "audit.csv")]
    [InlineData("0123456789abcdef0123456789abcdef", "handovers.csv")]
    [InlineData("not-an-id", "audit.csv")]
    [InlineData("not-an-id", "handovers.csv")]
    public async Task CsvExports_Answer404ProblemDetails_WhenTheEngagementDoesNotExist(string id, string export)
    {
        using HttpResponseMessage response = await auditor.GetAsync($"/api/engagements/{id}/{export}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static void AssertRowIsTheHandoverAndItsReturn(JsonNode item, JsonNode tier, Dictionary<string, string> row)
    {
        JsonNode acknowledgement = item["acknowledgement"]!;
        JsonNode certificate = tier["certificate"]!;
        Assert.Equal((string?)item["toTier"], row["toTier"]);
        Assert.Equal("contractor", row["toTier"]);
        Assert.True(JsonNode.DeepEquals(item["dataItems"], JsonNode.Parse(row["dataItems"])), row["dataItems"]);
        Assert.Equal(((int)item["recordCount"]!).ToString(CultureInfo.InvariantCulture), row["recordCount"]);
        Assert.Equal((string?)item["medium"], row["medium"]);
        Assert.Equal((string?)item["transferMethod"], row["transferMethod"]);
        Assert.Equal((string?)item["senderName"], row["senderName"].TrimStart('\''));
        Assert.Equal((string?)item["receiverName"], row["receiverName"]);
        Assert.Equal((string?)item["receiverEmail"], row["receiverEmail"]);
        Assert.Equal((string?)item["handedOverOn"], row["handedOverOn"]);
        Assert.Equal((string?)item["recordedBy"], row["recordedBy"]);
        AssertSameUtcInstant((string?)item["recordedAt"], row["recordedAt"]);
        Assert.Equal((string?)acknowledgement["status"], row["acknowledgementStatus"]);
        AssertSameUtcInstant((string?)acknowledgement["acknowledgedAt"], row["acknowledgedAt"]);
        AssertSameUtcInstant((string?)acknowledgement["disputedAt"], row["disputedAt"]);
        Assert.Equal((string?)acknowledgement["recordsReceived"] ?? string.Empty, row["recordsReceived"]);
        Assert.Equal((string?)acknowledgement["remark"] ?? string.Empty, row["remark"]);
        Assert.Equal((string?)certificate["disposition"], row["returnDisposition"]);
        Assert.Equal((string?)certificate["method"], row["returnMethod"]);
        Assert.Equal((string?)certificate["performedOn"], row["returnPerformedOn"]);
        Assert.Equal((string?)certificate["performedBy"], row["returnPerformedBy"]);
        AssertSameUtcInstant((string?)certificate["certifiedAt"], row["returnCertifiedAt"]);
        Assert.Equal((bool)tier["counts"]! ? "true" : "false", row["returnCounts"]);
    }

    /// <summary>An empty field for a missing instant; otherwise the same instant, written in UTC ISO 8601.</summary>
    private static void AssertSameUtcInstant(string? json, string csv)
    {
        if (json is null)
        {
            Assert.Equal(string.Empty, csv);
            return;
        }

        Assert.EndsWith("Z", csv, StringComparison.Ordinal);
        Assert.Equal(
            DateTimeOffset.Parse(json, CultureInfo.InvariantCulture),
            DateTimeOffset.ParseExact(csv, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }

    private static async Task<byte[]> AssertCsvAttachmentAsync(HttpResponseMessage response, string fileName)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Utf8Bom, body.Take(Utf8Bom.Length));
        return body;
    }

    /// <summary>The header and each record by column name, as CsvHelper reads the file.</summary>
    private static (IReadOnlyList<string> Header, List<Dictionary<string, string>> Rows) Parse(byte[] body)
    {
        using CsvReader csv = CsvReader.Create(body, CsvReaderOptions.Default);
        string[] header = [.. csv.Headers];
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
            rows.Add(header.Select((name, index) => (name, value: csv.GetString(index))).ToDictionary(field => field.name, field => field.value, StringComparer.Ordinal));
        return (header, rows);
    }

    private async Task AcknowledgeWithRemarkAsync(string id, string handoverId, int records, string remark)
    {
        string requestId = RequestIds.Derive(HandoverEndpoints.HandoverInstanceId(id, handoverId), "acknowledgement");
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        await driver.AnswerAsync(token, new JsonObject
        {
            [OpenHandoverAcknowledgement.ReceivedQuestion] = "yes",
            [OpenHandoverAcknowledgement.CountQuestion] = records.ToString(CultureInfo.InvariantCulture),
            [OpenHandoverAcknowledgement.RemarkQuestion] = remark,
        });
        await driver.SubmitAsync(token);
        await Eventually.UntilAsync(
            async () => (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/handovers"))!["items"]!.AsArray()
                .Any(item => (string?)item!["id"] == handoverId && (string?)item["acknowledgement"]!["status"] == "acknowledged"),
            EngagementDriver.Patience,
            "the receiver's acknowledgement");
    }

    private async Task<string> HandOverFromAsync(string id, string senderName, string[] items, int records)
    {
        using HttpResponseMessage response = await driver.Procurement.PostAsJsonAsync($"/api/engagements/{id}/handovers", new
        {
            dataItems = items,
            recordCount = records,
            medium = "onlineTransfer",
            transferMethod = "encryptedTransfer",
            senderName,
            receiverName = "受領 担当",
            receiverEmail = "yamada@example.co.jp",
            handedOverOn = ActiveEngagements.Date(ActiveEngagements.Today),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task CertifyReturnAsync(string id, string disposition, string method, int items)
    {
        string requestId = RequestIds.Derive(ClosingInput.InstanceId(id), "contractor.1");
        string token = await driver.LinkOfMailAsync(id, $@"{requestId}\.request");
        var answers = new JsonObject
        {
            [OpenReturnRequest.DispositionQuestion] = disposition,
            [OpenReturnRequest.MethodQuestion] = method,
            [OpenReturnRequest.PerformedOnQuestion] = ActiveEngagements.Date(ActiveEngagements.Today),
            [OpenReturnRequest.PerformedByQuestion] = "加藤 次郎",
        };
        for (int i = 0; i < items; i++)
            answers[OpenReturnRequest.ItemQuestion(i)] = "yes";
        await driver.AnswerAsync(token, answers);
        await driver.SubmitAsync(token);
    }
}
