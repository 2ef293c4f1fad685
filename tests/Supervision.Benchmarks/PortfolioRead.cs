using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Portfolio;
using Supervision.Domain.Selection;
using Supervision.Engagements;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Portfolio;
using Supervision.Reports;
using Supervision.Security;
using Supervision.Storage;
using Supervision.Vendors;

namespace Supervision.Benchmarks;

/// <summary>
/// The staff console's reads at scale (issue 16's goal): N engagements in mixed stages seeded through the storage layer
/// with their portfolio index rows, then the portfolio's first page (filtered and not), <c>GET /api/engagements/{id}</c>
/// and the staff's engagement page <c>/staff/engagements/{id}</c> timed through the running host's HTTP API, against a
/// bare point read of one index row in the same run.
/// </summary>
internal static class PortfolioRead
{
    public const int DefaultEngagements = 10_000;

    private const int WarmUp = 20;
    private const int Reads = 200;
    private const int PageSize = 50;
    private const int RefreshSample = 200;
    private const double FirstPageGoalMilliseconds = 100;
    private const double EngagementGoalMilliseconds = 150;

    // PortfolioIndex's pointer rows (private there): id|{engagementId}, naming the row's sort key and trail sequence.
    private const string PointerPrefix = "id|";
    private const string SortRowKeyColumn = "SortRowKey";

    private static readonly string[] FieldsNotCompared = [nameof(PortfolioRecord.Timestamp), nameof(PortfolioRecord.ETag), nameof(PortfolioRecord.ComputedAt)];

    private sealed record SeededEngagement(EngagementRecord Engagement, CheckoutRecord? Checkout, VendorRequestRecord? ReportRequest, PortfolioRecord Row);

    private sealed record Read(string Label, string Route, Func<PortfolioRecord, bool>? Matches);

    public static async Task RunAsync(WebApplication app, TableServiceClient tables, StorageCounter counter, int count)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(counter);
        DateOnly today = JapanCalendar.DateAt(DateTimeOffset.UtcNow);
        string todayText = Format(today);
        TableClient index = tables.GetTableClient(TableNames.Portfolio);
        int indexRowsBefore = await StorageCounter.Uncounted(() => CountIndexRowsAsync(index));

        var seeding = Stopwatch.StartNew();
        SeededEngagement[] seeded = Plan(count, today);
        await StorageCounter.Uncounted(() => AddEngagementsAsync(tables, seeded));
        TimeSpan engagementsTime = seeding.Elapsed;
        await StorageCounter.Uncounted(() => AddIndexRowsAsync(index, seeded));
        TimeSpan indexTime = seeding.Elapsed - engagementsTime;
        var refreshing = Stopwatch.StartNew();
        int compared = await StorageCounter.Uncounted(() => CompareWithRefreshAsync(app.Services.GetRequiredService<PortfolioIndex>(), seeded));
        TimeSpan refreshTime = refreshing.Elapsed;
        int indexRows = await StorageCounter.Uncounted(() => CountIndexRowsAsync(index));
        if (indexRows != indexRowsBefore + 2 * count)
            throw new InvalidOperationException($"The index holds {indexRows} rows, not {indexRowsBefore} + 2 × {count}: a refresh moved a row the seeding put elsewhere.");

        Console.WriteLine();
        Console.WriteLine($"Portfolio and engagement reads at {count:N0} engagements ({Describe(seeded)}):");
        Console.WriteLine($"  seeding              {seeding.Elapsed.TotalSeconds,8:0.0} s   (engagement, checkout and request rows {engagementsTime.TotalSeconds:0.0} s; " +
            $"index rows in transactions of 50 engagements {indexTime.TotalSeconds:0.0} s)");
        Console.WriteLine($"  sample through PortfolioIndex.RefreshAsync: {compared} engagements in {refreshTime.TotalSeconds:0.0} s " +
            $"({refreshTime.TotalMilliseconds / compared:0.0} ms each), every row equal to the seeded one; the index holds {indexRows:N0} rows ({count:N0} seeded and their pointers, {indexRowsBefore:N0} there before)");

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Add(DevelopmentSignIn.UserHeader, "benchmark");
        http.DefaultRequestHeaders.Add(DevelopmentSignIn.RolesHeader, "supervisor");
        Read[] pages =
        [
            new("stage=active", $"/{PortfolioEndpoints.Route}?stage=active&pageSize={PageSize}", row => row.Stage == nameof(EngagementStage.Active)),
            new("overdue=checkout", $"/{PortfolioEndpoints.Route}?overdue=checkout&pageSize={PageSize}", row => string.CompareOrdinal(row.CheckoutDue, todayText) < 0 && row.CheckoutDue is not null),
            new("unfiltered", $"/{PortfolioEndpoints.Route}?pageSize={PageSize}", null),
            new("stage=selectionRequested (rare, sorts last)", $"/{PortfolioEndpoints.Route}?stage=selectionRequested&pageSize={PageSize}", row => row.Stage == nameof(EngagementStage.SelectionRequested)),
        ];
        List<PortfolioRecord> sorted = await StorageCounter.Uncounted(() => IndexRowsAsync(index));
        var results = new List<(string Label, double[] Times, double Tables, string Note)>();
        foreach (Read page in pages)
        {
            PortfolioPage? first = await http.GetFromJsonAsync<PortfolioPage>(page.Route, ApiJson.Options);
            if (first is not { Items.Count: PageSize, Next: not null })
                throw new InvalidOperationException($"The first page {page.Route} answered {first?.Items.Count} items.");
            string[] expected = [.. sorted.Where(row => page.Matches?.Invoke(row) ?? true).Take(PageSize).Select(row => row.EngagementId)];
            if (!first.Items.Select(item => item.EngagementId).SequenceEqual(expected))
                throw new InvalidOperationException($"The first page {page.Route} is not the index's first {PageSize} matching rows in order.");
            // The table service reads the partition in key order from the start until the page (and one more) matched.
            int scanned = 1 + sorted.FindIndex(row => row.EngagementId == expected[^1]);
            int afterLast = sorted.FindIndex(scanned, row => page.Matches?.Invoke(row) ?? true);
            scanned = afterLast < 0 ? sorted.Count : afterLast + 1;
            (double[] times, double tablesPerRead) = await MeasureAsync(counter, _ => GetAsync(http, page.Route));
            results.Add(($"first page, {page.Label}", times, tablesPerRead, $"index rows read to fill it {scanned:N0} of {sorted.Count:N0}"));
        }

        string[] ids = [.. seeded.Select(engagement => engagement.Engagement.EngagementId)];
        var random = new Random(16);
        (double[] engagementTimes, double engagementTables) = await MeasureAsync(
            counter,
            _ => GetAsync(http, "/" + EngagementEndpoints.ItemRoute.Replace("{engagementId}", ids[random.Next(ids.Length)], StringComparison.Ordinal)));
        results.Add(("GET /api/engagements/{id}", engagementTimes, engagementTables, "random ids; the engagement's API read"));
        (double[] pageTimes, double pageTables) = await MeasureAsync(
            counter,
            _ => GetAsync(http, "/" + Supervision.Portfolio.EngagementPage.Route.Replace("{engagementId}", ids[random.Next(ids.Length)], StringComparison.Ordinal)));
        results.Add(("GET /staff/engagements/{id} (page)", pageTimes, pageTables, "random ids; the staff's engagement page, trail verified"));

        string activeFilter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {PortfolioIndex.Partition} and RowKey gt {PortfolioRecord.Prefix} and RowKey lt {PortfolioRecord.Prefix[..^1] + "}"} and Stage eq {nameof(EngagementStage.Active)}");
        (double[] bareQueryTimes, double bareQueryTables) = await MeasureAsync(counter, async repetition =>
        {
            int read = 0;
            await foreach (PortfolioRecord _ in index.QueryAsync<PortfolioRecord>(activeFilter, maxPerPage: PageSize + 1))
            {
                if (++read > PageSize)
                    break;
            }
        });
        results.Add(("bare query, stage=active", bareQueryTimes, bareQueryTables, $"Azure.Data.Tables, the service's filter, {PageSize + 1} rows"));
        (double[] pointTimes, double pointTables) = await MeasureAsync(
            counter,
            _ => index.GetEntityAsync<TableEntity>(PortfolioIndex.Partition, PointerPrefix + ids[random.Next(ids.Length)]));
        results.Add(("bare point read (baseline)", pointTimes, pointTables, "Azure.Data.Tables, one pointer row of the index"));

        Console.WriteLine($"Through the host's HTTP API ({Reads} reads each after {WarmUp} warm-up, pageSize {PageSize}), times in ms:");
        foreach ((string label, double[] times, double tablesPerRead, string note) in results)
        {
            Console.WriteLine($"  {label,-64} median {Latency.Median(times),6:0.0}   p95 {Latency.P95(times),6:0.0}   {Latency.Median(times) / Latency.Median(pointTimes),6:0.0}x / {Latency.P95(times) / Latency.P95(pointTimes),6:0.0}x baseline   " +
                $"table transactions per view {tablesPerRead:0.0}   ({note})");
        }

        double worstFilteredP95 = Math.Max(Latency.P95(results[0].Times), Latency.P95(results[1].Times));
        Console.WriteLine($"Goals: filtered first page p95 ≤ {FirstPageGoalMilliseconds:0} ms: {Latency.Verdict(worstFilteredP95, FirstPageGoalMilliseconds)} " +
            $"(stage=active {Latency.P95(results[0].Times):0.0}, overdue=checkout {Latency.P95(results[1].Times):0.0}; the rare filter {Latency.P95(results[3].Times):0.0}); " +
            $"engagement page p95 ≤ {EngagementGoalMilliseconds:0} ms: {Latency.Verdict(Latency.P95(pageTimes), EngagementGoalMilliseconds)} ({Latency.P95(pageTimes):0.0}; its API read {Latency.P95(engagementTimes):0.0})");
    }

    /// <summary>
    /// The engagements to seed, and the index row each should have: 5 % selection requested, 5 % under review, 70 % active,
    /// 10 % closing, 10 % closed; risk tiers mixed past selection; some active or closing with a checkout (most overdue),
    /// some active with an open report request (half of them past due).
    /// </summary>
    private static SeededEngagement[] Plan(int count, DateOnly today)
    {
        var random = new Random(20261203);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string requestJson = OnboardingRequestJson();
        string terms = JsonSerializer.Serialize(ChainRead.Terms(["氏名", "住所", "電話番号"]), ApiJson.Options);
        string[] contractors = ["株式会社サンプル印刷", "東京データ処理株式会社", "Acme Mailing KK", "大阪コールセンター合同会社", "北海道ロジスティクス株式会社"];
        var plan = new SeededEngagement[count];
        for (int n = 0; n < count; n++)
        {
            int draw = random.Next(100);
            EngagementStage stage = draw switch
            {
                < 5 => EngagementStage.SelectionRequested,
                < 10 => EngagementStage.UnderReview,
                < 80 => EngagementStage.Active,
                < 90 => EngagementStage.Closing,
                _ => EngagementStage.Closed,
            };
            int tierDraw = random.Next(100);
            RiskTier? tier = stage == EngagementStage.SelectionRequested ? null : tierDraw switch { < 40 => RiskTier.Low, < 75 => RiskTier.Medium, < 95 => RiskTier.High, _ => RiskTier.Critical };
            string id = EngagementIds.New();
            var engagement = new EngagementRecord
            {
                PartitionKey = id,
                ContractorName = $"{contractors[n % contractors.Length]} {n:D5}",
                Stage = stage.ToString(),
                Request = requestJson,
                RequestHash = "benchmark",
                CreatedAt = now.AddDays(-random.Next(30, 400)),
                StageChangedAt = now.AddDays(-random.Next(1, 30)),
                RiskTier = tier?.ToString(),
            };
            if (stage >= EngagementStage.Active)
            {
                engagement.HandoverTerms = terms;
                engagement.ContractStartsOn = "2026-01-01";
                engagement.ContractEndsOn = stage == EngagementStage.Active ? "2027-12-31" : "2026-11-30";
                engagement.ContractCompletedAt = now.AddDays(-300);
                engagement.SetClauses(ContractClauses.All);
                engagement.ResponsibilitySplitAgreedAt = now.AddDays(-300);
                engagement.ResponsibilitySplitAgreedBy = "benchmark";
                engagement.SignedContractEvidenceId = "ev-signed-contract";
            }

            var outstanding = new List<Outstanding>();
            CheckoutRecord? checkout = null;
            int checkoutDraw = random.Next(100);
            if ((stage == EngagementStage.Active && checkoutDraw < 20) || (stage == EngagementStage.Closing && checkoutDraw < 30))
            {
                // Three in five past due (1–60 days), the rest due within 30 days.
                DateOnly dueBack = checkoutDraw % 5 < 3 ? today.AddDays(-random.Next(1, 61)) : today.AddDays(random.Next(0, 31));
                checkout = new CheckoutRecord
                {
                    PartitionKey = id,
                    RowKey = CheckoutRecord.Key(Guid.NewGuid().ToString("N")),
                    ItemDescription = "Installation work orders, batch 12",
                    CheckedOutOn = Format(dueBack.AddDays(-14)),
                    DueBack = Format(dueBack),
                    RecordedBy = "benchmark",
                    RecordedAt = now,
                    EntryHash = "benchmark",
                };
                outstanding.Add(new Outstanding(OverdueKind.Checkout, dueBack));
            }

            VendorRequestRecord? reportRequest = null;
            if (stage == EngagementStage.Active && random.Next(100) < 40)
            {
                DateOnly due = random.Next(2) == 0 ? today.AddDays(-random.Next(1, 21)) : today.AddDays(random.Next(0, 26));
                reportRequest = new VendorRequestRecord
                {
                    PartitionKey = id,
                    RowKey = VendorRequestRecord.Key(Guid.NewGuid().ToString("N")),
                    Kind = OpenReportRequest.RequestKind,
                    TitleJa = "定期報告",
                    TitleEn = "Periodic report",
                    Status = nameof(RequestStatus.Open),
                    // Noon in Japan on the due day.
                    DueAt = JapanCalendar.StartUtc(due).AddHours(12),
                    CreatedAt = now.AddDays(-7),
                };
                outstanding.Add(new Outstanding(OverdueKind.Report, due));
            }

            IReadOnlyDictionary<OverdueKind, DateOnly> earliest = Outstandings.EarliestByKind(outstanding);
            string? Due(OverdueKind kind) => earliest.TryGetValue(kind, out DateOnly due) ? Format(due) : null;
            var row = new PortfolioRecord
            {
                RowKey = PortfolioRecord.Prefix + Outstandings.SortKey(earliest, id),
                EngagementId = id,
                ContractorName = engagement.ContractorName,
                Stage = engagement.Stage,
                RiskTier = engagement.RiskTier,
                ReportDue = Due(OverdueKind.Report),
                CheckoutDue = Due(OverdueKind.Checkout),
                AwaitsSelection = stage == EngagementStage.UnderReview,
                // No tier below the contractor holds anything: only a checkout still out is missing for the close.
                AwaitsClose = stage == EngagementStage.Closing && checkout is null,
                TrailSequence = 0,
                ComputedAt = now,
            };
            plan[n] = new SeededEngagement(engagement, checkout, reportRequest, row);
        }

        return plan;
    }

    /// <summary>Each engagement's rows in its own partition: the engagement and its checkout, and its request, as the library writes them.</summary>
    private static async Task<int> AddEngagementsAsync(TableServiceClient tables, SeededEngagement[] seeded)
    {
        TableClient engagements = tables.GetTableClient(TableNames.Engagements);
        await engagements.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(seeded, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (engagement, token) =>
        {
            if (engagement.Checkout is null)
                await engagements.AddEntityAsync(engagement.Engagement, token);
            else
                await engagements.SubmitTransactionAsync([new(TableTransactionActionType.Add, engagement.Engagement), new(TableTransactionActionType.Add, engagement.Checkout)], token);
            if (engagement.ReportRequest is not null)
                await engagements.AddEntityAsync(engagement.ReportRequest, token);
        });
        return seeded.Length;
    }

    /// <summary>The index rows and their pointers as PortfolioIndex writes them, 50 engagements (100 rows) to a transaction of its one partition.</summary>
    private static async Task<int> AddIndexRowsAsync(TableClient index, SeededEngagement[] seeded)
    {
        await index.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(seeded.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, token) =>
        {
            var actions = new List<TableTransactionAction>(2 * chunk.Length);
            foreach (SeededEngagement engagement in chunk)
            {
                var pointer = new TableEntity(PortfolioIndex.Partition, PointerPrefix + engagement.Row.EngagementId)
                {
                    [SortRowKeyColumn] = engagement.Row.RowKey,
                    [nameof(PortfolioRecord.TrailSequence)] = engagement.Row.TrailSequence,
                };
                actions.Add(new(TableTransactionActionType.Add, pointer));
                actions.Add(new(TableTransactionActionType.Add, engagement.Row));
            }

            await index.SubmitTransactionAsync(actions, token);
        });
        return seeded.Length;
    }

    /// <summary>
    /// Recomputes a sample (every stage, 200 in all) through <see cref="PortfolioIndex.RefreshAsync"/> and holds each row
    /// to the seeded one; answers how many were compared. A refresh that computed another sort key would also move the row.
    /// </summary>
    private static async Task<int> CompareWithRefreshAsync(PortfolioIndex portfolio, SeededEngagement[] seeded)
    {
        SeededEngagement[] sample =
        [
            .. seeded.GroupBy(engagement => engagement.Engagement.Stage).SelectMany(stage => stage.Take(20)),
            .. seeded.Where(engagement => engagement.Checkout is not null).Take(20),
            .. seeded.Where(engagement => engagement.ReportRequest is not null).Take(20),
        ];
        sample = [.. sample.DistinctBy(engagement => engagement.Row.EngagementId)];
        sample = [.. sample, .. seeded.Except(sample).Take(Math.Max(0, RefreshSample - sample.Length))];
        PropertyInfo[] compared = [.. typeof(PortfolioRecord).GetProperties().Where(property => !FieldsNotCompared.Contains(property.Name))];
        foreach (SeededEngagement engagement in sample)
        {
            PortfolioRecord refreshed = await portfolio.RefreshAsync(engagement.Row.EngagementId, CancellationToken.None)
                ?? throw new InvalidOperationException($"RefreshAsync found no engagement {engagement.Row.EngagementId}.");
            foreach (PropertyInfo property in compared)
            {
                object? expected = property.GetValue(engagement.Row);
                object? actual = property.GetValue(refreshed);
                if (!Equals(expected, actual))
                    throw new InvalidOperationException($"Engagement {engagement.Row.EngagementId} ({engagement.Engagement.Stage}): RefreshAsync computed {property.Name} = {actual ?? "null"}, the seeding wrote {expected ?? "null"}.");
            }
        }

        return sample.Length;
    }

    private static async Task<int> CountIndexRowsAsync(TableClient index)
    {
        int rows = 0;
        await foreach (TableEntity _ in index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PortfolioIndex.Partition}"), select: ["RowKey"]))
            rows++;
        return rows;
    }

    /// <summary>Every row of the index in key order (most overdue first), as the table service reads them for a page.</summary>
    private static async Task<List<PortfolioRecord>> IndexRowsAsync(TableClient index)
    {
        var rows = new List<PortfolioRecord>();
        string range = TableClient.CreateQueryFilter($"PartitionKey eq {PortfolioIndex.Partition} and RowKey gt {PortfolioRecord.Prefix} and RowKey lt {PortfolioRecord.Prefix[..^1] + "}"}");
        await foreach (PortfolioRecord row in index.QueryAsync<PortfolioRecord>(range))
            rows.Add(row);
        rows.Sort((left, right) => string.CompareOrdinal(left.RowKey, right.RowKey));
        return rows;
    }

    private static async Task GetAsync(HttpClient http, string route)
    {
        using HttpResponseMessage response = await http.GetAsync(route);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static string Describe(SeededEngagement[] seeded) =>
        string.Join(", ", seeded.GroupBy(engagement => engagement.Engagement.Stage).OrderBy(stage => Enum.Parse<EngagementStage>(stage.Key)).Select(stage => $"{stage.Key} {stage.Count():N0}")) +
        $"; checkouts {seeded.Count(engagement => engagement.Checkout is not null):N0}, open report requests {seeded.Count(engagement => engagement.ReportRequest is not null):N0}";

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string OnboardingRequestJson()
    {
        OnboardingDraft draft = JsonSerializer.Deserialize<OnboardingDraft>(
            """
            {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"ja"},
             "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
             "plannedStart":"2026-01-01","plannedEnd":"2027-12-31"}
            """,
            ApiJson.Options)!;
        OnboardingRules.Validate(draft, out OnboardingRequest? request);
        return JsonSerializer.Serialize(request, ApiJson.Options);
    }

    /// <summary>Runs <paramref name="read"/> after a warm-up; answers its times in milliseconds, sorted, and the table transactions per read.</summary>
    private static async Task<(double[] Milliseconds, double TablesPerRead)> MeasureAsync(StorageCounter counter, Func<int, Task> read)
    {
        for (int n = 0; n < WarmUp; n++)
            await read(n);
        long before = counter.Snapshot().Table;
        var times = new double[Reads];
        for (int n = 0; n < Reads; n++)
        {
            long start = Stopwatch.GetTimestamp();
            await read(n);
            times[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        long after = counter.Snapshot().Table;
        Array.Sort(times);
        return (times, (after - before) / (double)Reads);
    }
}
