using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Audit;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Subcontracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Storage;
using Supervision.Subcontracts;

namespace Supervision.Benchmarks;

/// <summary>
/// <c>GET /api/engagements/{id}/chain</c> through the running host's HTTP API, for an engagement with three tiers below
/// the contractor (contractor → tier 2 → tier 3, and a second tier 2) and 20 handovers on its ledger; against the same
/// partition's rows read by one bare query with Azure.Data.Tables.
/// </summary>
internal static class ChainRead
{
    private const int WarmUp = 10;
    private const int Reads = 50;
    private const int Handovers = 20;

    public static async Task RunAsync(WebApplication app, TableServiceClient tables, StorageCounter counter, string engagementId)
    {
        await SeedAsync(app.Services.GetRequiredService<EngagementStore>(), tables.GetTableClient(TableNames.Engagements), engagementId);

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Add(DevelopmentSignIn.UserHeader, "benchmark");
        http.DefaultRequestHeaders.Add(DevelopmentSignIn.RolesHeader, "supervisor");
        string route = "/" + ChainEndpoints.ChainRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal);
        ChainResponse? chain = await http.GetFromJsonAsync<ChainResponse>(route, ApiJson.Options);
        if (chain is not { Tiers: 3, Contractor: { Status: SubcontractStatus.InForce, Children.Count: 2 } })
            throw new InvalidOperationException($"The seeded chain reads back wrong: {JsonSerializer.Serialize(chain, ApiJson.Options)}");

        (double[] chainTimes, double chainTables) = await MeasureAsync(counter, async () =>
        {
            using HttpResponseMessage response = await http.GetAsync(route);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        });
        // The partition's rows but its trail's entries (the trail shares the partition; the chain reads none of it).
        TableClient bare = tables.GetTableClient(TableNames.Engagements);
        string outsideTheTrail = TableClient.CreateQueryFilter(
            $"PartitionKey eq {engagementId} and (RowKey lt {AuditLog.EntryRowPrefix} or RowKey ge {AuditLog.EntryRowPrefix[..^1] + "}"})");
        int rows = await StorageCounter.Uncounted(async () =>
        {
            int seeded = 0;
            await foreach (TableEntity _ in bare.QueryAsync<TableEntity>(outsideTheTrail))
                seeded++;
            return seeded;
        });
        (double[] bareTimes, double bareTables) = await MeasureAsync(counter, async () =>
        {
            int read = 0;
            await foreach (TableEntity _ in bare.QueryAsync<TableEntity>(outsideTheTrail))
                read++;
            if (read != rows)
                throw new InvalidOperationException($"The bare query read {read} rows, not {rows}.");
        });

        Console.WriteLine($"GET /api/engagements/{{id}}/chain through the host's HTTP API (3 tiers below the contractor, {Handovers} handovers), {Reads} reads after {WarmUp} warm-up:");
        Console.WriteLine($"  chain                median {Latency.Median(chainTimes),6:0.0} ms   p95 {Latency.P95(chainTimes),6:0.0} ms   table transactions per read {chainTables:0.0}");
        Console.WriteLine($"  bare partition query median {Latency.Median(bareTimes),6:0.0} ms   p95 {Latency.P95(bareTimes),6:0.0} ms   table transactions per read {bareTables:0.0}   (Azure.Data.Tables, the partition's {rows} rows outside its trail)");
        Console.WriteLine($"Ratio chain / bare query:  median {Latency.Median(chainTimes) / Latency.Median(bareTimes):0.00}x, p95 {Latency.P95(chainTimes) / Latency.P95(bareTimes):0.00}x");
    }

    /// <summary>Completes the engagement's contract and adds its tiers and ledger.</summary>
    private static async Task SeedAsync(EngagementStore engagements, TableClient table, string engagementId)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string[] items = ["氏名", "住所", "電話番号"];
        await engagements.UpdateAsync(engagementId, record =>
        {
            record.Stage = nameof(EngagementStage.Active);
            record.HandoverTerms = JsonSerializer.Serialize(Terms(items), ApiJson.Options);
            record.SetClauses(ContractClauses.All);
            record.ResponsibilitySplitAgreedAt = now;
            record.ResponsibilitySplitAgreedBy = "benchmark";
            record.SignedContractEvidenceId = "ev-signed-contract";
            return true;
        }, CancellationToken.None);

        string first = EngagementIds.New();
        string second = EngagementIds.New();
        string third = EngagementIds.New();
        TierRecord[] tiers =
        [
            Tier(engagementId, first, Tiers.Contractor, $"{Tiers.Contractor}/{first}", items, now),
            Tier(engagementId, third, first, $"{Tiers.Contractor}/{first}/{third}", items[..2], now.AddMinutes(1)),
            Tier(engagementId, second, Tiers.Contractor, $"{Tiers.Contractor}/{second}", items[..1], now.AddMinutes(2)),
        ];
        string?[] receivers = [null, first, third, second];
        var ledger = Enumerable.Range(0, Handovers).Select(n => new HandoverRecord
        {
            PartitionKey = engagementId,
            RowKey = HandoverRecord.Key(EngagementIds.New()),
            ToTier = receivers[n % receivers.Length],
            DataItems = JsonSerializer.Serialize(items[..(1 + (n % items.Length))], ApiJson.Options),
            RecordCount = 100 + n,
            Medium = "encrypted file",
            TransferMethod = nameof(TransferMethod.EncryptedTransfer),
            SenderName = "山田 太郎",
            ReceiverName = "佐藤 次郎",
            ReceiverEmail = "sato@example.co.jp",
            HandedOverOn = "2027-01-15",
            RecordedBy = "benchmark",
            RecordedAt = now,
            EntryHash = "benchmark",
        });
        foreach (ITableEntity row in tiers.Cast<ITableEntity>().Concat(ledger))
            await table.AddEntityAsync(row);
    }

    private static TierRecord Tier(string engagementId, string tierId, string parentId, string path, string[] items, DateTimeOffset requestedAt) => new()
    {
        PartitionKey = engagementId,
        RowKey = TierRecord.Key(tierId),
        ParentTierId = parentId,
        Depth = path.Split('/').Length,
        Path = path,
        CompanyName = $"株式会社サンプル{path.Split('/').Length}次",
        ContactName = "佐藤 次郎",
        ContactEmail = "sato@example.co.jp",
        Work = "DM printing",
        DataItems = JsonSerializer.Serialize(items, ApiJson.Options),
        WorkSite = "東京都千代田区",
        PlannedStart = "2027-01-01",
        PlannedEnd = "2027-12-31",
        GovernedBy = nameof(SubcontractPolicy.PriorApproval),
        Policy = nameof(SubcontractPolicy.PriorApproval),
        AttestsCriteriaMet = true,
        WorkStatement = JsonSerializer.Serialize(
            new WorkStatement(
                [ProcessStep.Receive, ProcessStep.Process, ProcessStep.ReturnOrErase],
                new Worker("佐藤 次郎", "manager", WorkerAffiliation.ThisTier, null, Trained: true),
                [new Worker("鈴木 一郎", "operator", WorkerAffiliation.ThisTier, null, Trained: true)],
                WorkLocation.SubcontractorSite,
                HomePcAllowed: false,
                AccessLogReview.Weekly),
            ApiJson.Options),
        SignedSubcontractEvidenceId = "ev-signed-subcontract",
        Status = nameof(SubcontractStatus.InForce),
        RequestedBy = "benchmark",
        RequestedAt = requestedAt,
        RequestHash = "benchmark",
        ScorePercentage = 90,
        RiskTier = "Low",
        Decision = "approved",
        DecidedBy = "benchmark",
        DecidedAt = requestedAt,
        DecisionReason = "benchmark",
    };

    internal static HandoverTerms Terms(string[] items) => new()
    {
        DataItems = items,
        TransferMethod = TransferMethod.EncryptedTransfer,
        LedgersOnBothSides = true,
        PrincipalResponsible = new ResponsiblePerson("佐藤 花子", "個人情報管理責任者"),
        ContractorResponsible = new ResponsiblePerson("山田 太郎", "業務責任者"),
        LeakPreventionMeasures = "専用端末のみで取扱い、USB媒体は使用禁止",
        NoRemovalFromWorkSite = true,
        NoProcessingBeyondContract = true,
        EndOfWork = new EndOfWorkTerms(EndOfWorkMethod.Erasure, 14, CertificateRequired: true, WitnessedByPrincipal: false),
        Reporting = new ReportingTerms("取扱件数、アクセス記録の確認結果、事故の有無", ReportFrequency.Monthly),
        PrincipalMayAudit = true,
        Subcontracting = SubcontractPolicy.PriorApproval,
        MeasuresOnNonCompliance = "是正要求、改善されない場合は契約解除",
        IncidentReporting = new IncidentReportingTerms(24, "privacy-desk@example.co.jp"),
    };

    /// <summary>Runs <paramref name="read"/> after a warm-up; answers its times in milliseconds, sorted, and the table transactions per read.</summary>
    private static async Task<(double[] Milliseconds, double TablesPerRead)> MeasureAsync(StorageCounter counter, Func<Task> read)
    {
        for (int n = 0; n < WarmUp; n++)
            await read();
        long before = counter.Snapshot().Table;
        var times = new double[Reads];
        for (int n = 0; n < Reads; n++)
        {
            long start = Stopwatch.GetTimestamp();
            await read();
            times[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        long after = counter.Snapshot().Table;
        Array.Sort(times);
        return (times, (after - before) / (double)Reads);
    }
}
