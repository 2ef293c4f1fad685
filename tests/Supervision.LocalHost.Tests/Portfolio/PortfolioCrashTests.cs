using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.LocalHost.Tests.Handovers;
using Supervision.LocalHost.Tests.Http;
using Supervision.Portfolio;
using Supervision.Storage;
using Supervision.Testing;
using Xunit.Abstractions;

namespace Supervision.LocalHost.Tests.Portfolio;

/// <summary>
/// Issue 16: "the portfolio index stays equal to the source of truth after a workload with crashes". The local host runs
/// as a separate process and is killed (SIGKILL) twice while a burst of changes to several engagements is in flight, so
/// refreshes of the index that changes marked are lost with the process (docs/decisions/0006). Staff retry what got no
/// answer, as a client does after a time-out; the restarted host's sweep catches up the rows that fell behind. Then
/// every engagement's row says what the engagement's own state says. The class has an Azurite of its own, because the
/// sweep reads every engagement there is.
/// </summary>
public sealed class PortfolioCrashTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>A change as staff send it: built afresh for each try, with the same idempotency key, so a retry has one effect.</summary>
    private sealed record Change(string What, HttpClient Client, Func<HttpRequestMessage> Request);

    [Fact]
    public async Task Qa_1_6_ThePortfolioIndex_EqualsEveryEngagementsOwnState_AfterHostsKilledMidCycle()
    {
        string hub = AzuriteFixture.NewTaskHub();
        string outbox = Path.Combine(Path.GetTempPath(), "portfolio-crash-outbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outbox);
        var tables = new TableServiceClient(azurite.ConnectionString);
        int port = FreePorts.Next();
        string tag = Guid.NewGuid().ToString("N")[..10];
        string contractor = $"株式会社障害試験{tag}";
        string sato = $"sato-{tag}@example.co.jp";
        string suzuki = $"suzuki-{tag}@example.co.jp";
        var hosts = new List<Process>();
        using HttpClient procurement = LocalHostProcess.Client(port, "crash-procurement", "procurement");
        using HttpClient supervisor = LocalHostProcess.Client(port, "crash-supervisor", "supervisor");
        try
        {
            hosts.Add(StartHost(hub, port, outbox));
            await LocalHostProcess.WaitHealthyAsync(supervisor);

            // Six engagements: one still in selection, five whose contract is complete on their rows (as CompleteContract
            // does) and active. Some are named a supervisor at onboarding.
            string[] ids = new string[6];
            for (int i = 0; i < ids.Length; i++)
                ids[i] = await SendAsync(Onboard(procurement, contractor, $"crash-{tag}-{i}", i % 3 == 0 ? sato : null), expect: HttpStatusCode.Accepted);
            var store = new EngagementStore(tables);
            foreach (string id in ids[1..])
                await ActivateAsync(store, id);
            string lateCheckout = await SendAsync(Checkout(procurement, ids[1], $"crash-{tag}-c1", dueInDays: -4), expect: HttpStatusCode.Accepted);
            await Eventually.UntilAsync(
                async () => (await PointersAsync(tables, ids)).All(sequence => sequence is not null),
                Patience,
                "every engagement to have its portfolio row");

            // Crash 1: reassignments, checkouts (one late), a termination; the host is killed on the first answer.
            Change[] first =
            [
                Assign(supervisor, ids[0], suzuki),
                Assign(procurement, ids[1], suzuki),
                Assign(supervisor, ids[2], sato),
                Checkout(procurement, ids[3], $"crash-{tag}-c3", dueInDays: -2),
                Checkout(procurement, ids[4], $"crash-{tag}-c4", dueInDays: 5),
                Terminate(supervisor, ids[5]),
            ];
            List<Change> lost = await KillDuringAsync(hosts[^1], first);
            int behind = await BehindAsync(tables, ids, "the first crash");

            hosts.Add(StartHost(hub, port, outbox));
            await LocalHostProcess.WaitHealthyAsync(supervisor);
            foreach (Change retried in lost)
                await SendAsync(retried);

            // Crash 2: another round on the restarted host, the late checkout returned among it.
            Change[] second =
            [
                Assign(supervisor, ids[1], sato),
                Checkout(procurement, ids[2], $"crash-{tag}-c2", dueInDays: -1),
                Terminate(supervisor, ids[4]),
                Assign(procurement, ids[5], suzuki),
                Assign(supervisor, ids[3], sato),
                Return(procurement, ids[1], lateCheckout),
            ];
            lost = await KillDuringAsync(hosts[^1], second);
            behind += await BehindAsync(tables, ids, "the second crash");
            Assert.True(behind > 0, "No portfolio row was behind its trail after either crash: the crashes lost no refresh, and the test proved nothing.");

            hosts.Add(StartHost(hub, port, outbox));
            await LocalHostProcess.WaitHealthyAsync(supervisor);
            foreach (Change retried in lost)
                await SendAsync(retried);

            // Nothing changes any more: every row comes to say what its engagement says, and stays caught up with its trail.
            string? difference = null;
            try
            {
                await Eventually.UntilAsync(
                    async () => (difference = await DifferenceAsync(supervisor, tables, contractor, ids)) is null,
                    Patience,
                    "every portfolio row to equal its engagement's own state");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} Still different: {difference}", e);
            }

            JsonObject[] bySato = await PortfolioAsync(supervisor, $"contractor={Uri.EscapeDataString(contractor)}&supervisor={Uri.EscapeDataString(sato.ToUpperInvariant())}");
            string[] satos = [.. (await Task.WhenAll(ids.Select(async id => (Id: id, State: await StateAsync(supervisor, id)))))
                .Where(engagement => (string?)engagement.State["supervisor"]?["name"] == sato).Select(engagement => engagement.Id).Order(StringComparer.Ordinal)];
            Assert.NotEmpty(satos);
            Assert.Equal(satos, bySato.Select(item => (string)item["engagementId"]!).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (Process host in hosts)
            {
                if (!host.HasExited)
                {
                    host.Kill(entireProcessTree: true);
                    await host.WaitForExitAsync();
                }

                host.Dispose();
            }

            Directory.Delete(outbox, recursive: true);
        }
    }

    /// <summary>
    /// Sends the changes all at once and kills the host as soon as the first is answered, while the others are in flight.
    /// Answers the changes that got no answer (to retry); an answer that came is a success.
    /// </summary>
    private async Task<List<Change>> KillDuringAsync(Process host, Change[] changes)
    {
        Task<HttpResponseMessage>[] sent = [.. changes.Select(change => change.Client.SendAsync(change.Request()))];
        await Task.WhenAny(sent);
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();

        var lost = new List<Change>();
        for (int i = 0; i < changes.Length; i++)
        {
            try
            {
                using HttpResponseMessage response = await sent[i];
                Assert.True(response.IsSuccessStatusCode, $"{changes[i].What}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lost.Add(changes[i]);
            }
        }

        output.WriteLine($"killed the host with {lost.Count} of {changes.Length} changes unanswered: {string.Join("; ", lost.Select(change => change.What))}");
        return lost;
    }

    /// <summary>How many of the engagements' portfolio rows are behind their trail (or missing) now that the host is dead.</summary>
    private async Task<int> BehindAsync(TableServiceClient tables, string[] ids, string when)
    {
        long?[] pointers = await PointersAsync(tables, ids);
        int behind = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            long head = (await AuditLog.HeadAsync(tables, ids[i], CancellationToken.None))?.Sequence ?? 0;
            if (pointers[i] is not { } sequence || sequence < head)
                behind++;
        }

        output.WriteLine($"after {when}: {behind} of {ids.Length} portfolio rows behind their trail");
        return behind;
    }

    /// <summary>The trail sequence each engagement's portfolio row was computed from (null for no row), read from the index's pointer rows.</summary>
    private static async Task<long?[]> PointersAsync(TableServiceClient tables, string[] ids)
    {
        TableClient index = tables.GetTableClient(TableNames.Portfolio);
        return await Task.WhenAll(ids.Select(async id =>
        {
            NullableResponse<TableEntity> pointer = await index.GetEntityIfExistsAsync<TableEntity>(PortfolioIndex.Partition, "id|" + id);
            return pointer.HasValue ? pointer.Value!.GetInt64(nameof(PortfolioRecord.TrailSequence)) : null;
        }));
    }

    /// <summary>
    /// The first way the portfolio differs from the engagements' own state, read through the API each engagement answers
    /// (its stage and supervisor, its checkouts, its close record) and its trail's head; null when it does not.
    /// </summary>
    private static async Task<string?> DifferenceAsync(HttpClient staff, TableServiceClient tables, string contractor, string[] ids)
    {
        Dictionary<string, JsonObject> rows = (await PortfolioAsync(staff, $"contractor={Uri.EscapeDataString(contractor)}"))
            .ToDictionary(item => (string)item["engagementId"]!);
        long?[] pointers = await PointersAsync(tables, ids);
        string today = ActiveEngagements.Date(ActiveEngagements.Today);
        for (int i = 0; i < ids.Length; i++)
        {
            string id = ids[i];
            if (!rows.TryGetValue(id, out JsonObject? row))
                return $"{id} is not listed";
            JsonObject state = await StateAsync(staff, id);
            string stage = (string)state["stage"]!;
            string[] dueBack = [.. (await staff.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/checkouts"))!["items"]!.AsArray()
                .Where(checkout => checkout!["returnedOn"] is null).Select(checkout => (string)checkout!["dueBack"]!).Order(StringComparer.Ordinal)];
            var decisions = new List<string>();
            if (stage == "underReview")
                decisions.Add("selection");
            if (stage == "closing" && (await staff.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/closure"))!["missing"]!.AsArray().Count == 0)
                decisions.Add("close");

            (string What, string? Expected, string? Listed)[] fields =
            [
                ("stage", stage, (string?)row["stage"]),
                ("supervisor", (string?)state["supervisor"]?["name"], (string?)row["supervisor"]),
                ("riskTier", (string?)state["riskTier"], (string?)row["riskTier"]),
                ("checkout due", dueBack.FirstOrDefault(), (string?)row["outstanding"]!["checkout"]),
                ("overdue", dueBack.Any(due => string.CompareOrdinal(due, today) < 0) ? "checkout" : string.Empty, string.Join(",", row["overdue"]!.AsArray().Select(kind => (string?)kind))),
                ("decisions", string.Join(",", decisions), string.Join(",", row["decisions"]!.AsArray().Select(decision => (string?)decision))),
            ];
            if (fields.FirstOrDefault(field => field.Expected != field.Listed) is { What: not null } different)
                return $"{id} {different.What}: the engagement says {different.Expected ?? "nothing"}, the portfolio {different.Listed ?? "nothing"}";
            long head = (await AuditLog.HeadAsync(tables, id, CancellationToken.None))?.Sequence ?? 0;
            if (pointers[i] != head)
                return $"{id} row computed at trail {pointers[i]}, the trail is at {head}";
        }

        return null;
    }

    private static async Task<JsonObject[]> PortfolioAsync(HttpClient staff, string query) =>
        [.. (await staff.GetFromJsonAsync<JsonObject>($"/api/portfolio?{query}&pageSize=200"))!["items"]!.AsArray().Select(item => item!.AsObject())];

    private static async Task<JsonObject> StateAsync(HttpClient staff, string id) => (await staff.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}"))!;

    /// <summary>Completes the contract on the engagement's row and makes it active, as <see cref="CompleteContract"/> does for the in-process host.</summary>
    private static Task<EngagementRecord> ActivateAsync(EngagementStore store, string id) => store.UpdateAsync(id, record =>
    {
        record.SetClauses(ContractClauses.All);
        record.HandoverTerms = JsonSerializer.Serialize(CompleteContract.Terms(), ApiJson.Options);
        record.ResponsibilitySplitAgreedAt = DateTimeOffset.UtcNow;
        record.ResponsibilitySplitAgreedBy = "link-test";
        record.SignedContractEvidenceId = CompleteContract.SignedContractEvidenceId;
        record.ContractStartsOn = "2027-01-01";
        record.ContractEndsOn = "2027-12-31";
        record.Stage = nameof(EngagementStage.Active);
        return true;
    }, CancellationToken.None);

    private static Change Onboard(HttpClient client, string contractor, string key, string? supervisorName)
    {
        var body = new JsonObject
        {
            ["contractor"] = new JsonObject { ["name"] = contractor },
            ["contact"] = new JsonObject { ["name"] = "Taro Yamada", ["email"] = "yamada@example.co.jp", ["preferredLanguage"] = "en" },
            ["purpose"] = "DM printing",
            ["datasets"] = new JsonArray(new JsonObject { ["items"] = new JsonArray("name", "address"), ["recordCount"] = 100, ["isSensitive"] = false, ["leakCausesSecondaryDamage"] = false }),
            ["plannedStart"] = "2027-01-01",
            ["plannedEnd"] = "2027-12-31",
        };
        if (supervisorName is not null)
            body["supervisor"] = supervisorName;
        return new($"onboarding {key}", client, () => Json(HttpMethod.Post, "/api/engagements", body, key));
    }

    private static Change Assign(HttpClient client, string id, string supervisorName) => new(
        $"assign {supervisorName} to {id}",
        client,
        () => Json(HttpMethod.Put, $"/api/engagements/{id}/supervisor", new JsonObject { ["supervisor"] = supervisorName, ["reason"] = "Workload balanced between the supervisors." }));

    private static Change Checkout(HttpClient client, string id, string key, int dueInDays) => new(
        $"checkout {key} of {id}",
        client,
        () => Json(HttpMethod.Post, $"/api/engagements/{id}/checkouts", new JsonObject
        {
            ["itemDescription"] = "Application forms, batch " + key,
            ["checkedOutOn"] = ActiveEngagements.Date(ActiveEngagements.Today.AddDays(-6)),
            ["dueBack"] = ActiveEngagements.Date(ActiveEngagements.Today.AddDays(dueInDays)),
        }, key));

    private static Change Return(HttpClient client, string id, string checkoutId) => new(
        $"return {checkoutId} of {id}",
        client,
        () => Json(HttpMethod.Post, $"/api/engagements/{id}/checkouts/{checkoutId}/return", new JsonObject { ["returnedOn"] = ActiveEngagements.Date(ActiveEngagements.Today) }));

    private static Change Terminate(HttpClient client, string id) => new(
        $"terminate {id}",
        client,
        () => Json(HttpMethod.Post, $"/api/engagements/{id}/termination", new JsonObject { ["reason"] = "The contractor is being replaced." }));

    private static HttpRequestMessage Json(HttpMethod method, string path, JsonObject body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
            request.Headers.Add(StaffInput.IdempotencyKeyHeader, idempotencyKey);
        return request;
    }

    /// <summary>Sends the change and answers the id its answer names (if any); a refusal fails the test.</summary>
    private static async Task<string> SendAsync(Change change, HttpStatusCode? expect = null)
    {
        using HttpRequestMessage request = change.Request();
        using HttpResponseMessage response = await change.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expect is null ? response.IsSuccessStatusCode : response.StatusCode == expect, $"{change.What}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body) is JsonObject answer && answer["id"] is { } id ? (string)id! : string.Empty;
    }

    private Process StartHost(string hub, int port, string outbox) => LocalHostProcess.Start(
        output,
        azurite,
        hub,
        port,
        $"--Supervision:Mail:OutboxDirectory={outbox}",
        // The sweep runs at start-up (this Azurite is the class's own): it is what finds the rows a crash left behind.
        "--Supervision:Sweep:Enabled=true");
}
