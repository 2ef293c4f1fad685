using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Benchmarks;
using Supervision.Domain.Audit;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.LocalHost;
using Supervision.LocalHost.Azurite;
using Supervision.LocalHost.Engine;
using Supervision.Mail;
using Supervision.Reports;
using Supervision.Storage;
using PortfolioIndex = Supervision.Portfolio.PortfolioIndex;

int engagements = Option(args, "--engagements", 200);
// Which benchmarks run: the reporting cycle (library, bare framework, chain read, onboarding), the portfolio reads, or all of them.
string benchmark = TextOption(args, "--benchmark", "all");
if (benchmark is not ("all" or "cycle" or "portfolio"))
    throw new ArgumentException($"--benchmark must be all, cycle or portfolio, not {benchmark}.");
int portfolioEngagements = Option(args, "--portfolio-engagements", PortfolioRead.DefaultEngagements);
int sample = Option(args, "--history-sample", 3);
int projectedEngagements = Option(args, "--projection-engagements", 10_000);
// An example price, not a quote: set the account's own (region, redundancy, table or queue class).
double pricePer10k = double.Parse(TextOption(args, "--price-per-10k", "0.004"), CultureInfo.InvariantCulture);
// Azurite's in-memory queues rebuild their message index on every delete, so a backlog of N waiting messages makes each
// queue operation cost O(N): started all at once, N cycles would measure the emulator, not the engine or the library.
int window = Option(args, "--in-flight", 200);
const int HistoryPeriods = 12;
// A period's request mail: {time}-{engagementId}.{requestId}.request.eml (reminders end .reminder.{n}.eml).
const string RequestMails = "*.request.eml";

// Long enough that no message of a busy run is handed to a second worker while the first still holds it.
TimeSpan visibilityTimeout = TimeSpan.FromMinutes(5);
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// A storage account to run against instead of an Azurite of the benchmark's own (an environment variable keeps its key
// out of the process list): Azure Storage's cost per operation does not grow with the rows a table holds.
string? account = Environment.GetEnvironmentVariable("BENCHMARK_STORAGE_CONNECTION_STRING");
await using var azurite = new AzuriteServer(
    new AzuriteOptions
    {
        InMemory = true,
        BlobPort = FreePort(),
        QueuePort = FreePort(),
        TablePort = FreePort(),
        DataDirectory = Path.Combine(Path.GetTempPath(), "supervision-bench", Guid.NewGuid().ToString("N")),
    },
    NullLogger.Instance);
if (string.IsNullOrEmpty(account))
    await azurite.StartAsync(CancellationToken.None);
string storage = string.IsNullOrEmpty(account) ? azurite.ConnectionString : account;
var tables = new TableServiceClient(storage);
using var counter = new StorageCounter(new BlobServiceClient(storage).Uri, new QueueServiceClient(storage).Uri, tables.Uri);
string outbox = Path.Combine(Path.GetTempPath(), "supervision-bench-outbox-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(outbox);
Console.WriteLine($"Benchmark {benchmark}: {engagements} engagements, at most {window} cycles in flight, {portfolioEngagements} for the portfolio, storage {tables.AccountName} at {tables.Uri.Host}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {Environment.OSVersion}");

// 1. The library: one reporting cycle per engagement on the local engine.
string libraryHub = "benchlib" + Guid.NewGuid().ToString("N")[..8];
WebApplication app = LocalHostApp.Create(
[
    "--urls=http://127.0.0.1:0",
    "--Azurite:Start=false",
    $"--Supervision:Storage:ConnectionString={storage}",
    $"--LocalEngine:TaskHubName={libraryHub}",
    "--LocalEngine:MaxQueuePollingInterval=00:00:00.5",
    $"--LocalEngine:VisibilityTimeout={visibilityTimeout:c}",
    // The seeded engagements have no engagement workflow: a sweep would resume every one of them.
    "--Supervision:Sweep:Enabled=false",
    $"--Supervision:Mail:OutboxDirectory={outbox}",
    // Due long after any run ends: a reminder is work the bare run does not do, and a mail the cycle count must not see.
    "--Supervision:Requests:AnswerWithin=30.00:00:00",
    "--Supervision:Reports:PeriodLength=00:00:01",
    "--Logging:LogLevel:Default=Warning",
    // The engine warns of every message it re-queues under load; the figures are what matters here.
    "--Logging:LogLevel:DurableTask.AzureStorage=Error",
    "--Logging:LogLevel:DurableTask.Core=Error",
]);
await app.StartAsync();
DurableTaskClient durable = app.Services.GetRequiredService<DurableTaskClient>();
if (benchmark == "portfolio")
{
    await PortfolioRead.RunAsync(app, tables, counter, portfolioEngagements);
    await app.StopAsync();
    await app.DisposeAsync();
    Directory.Delete(outbox, recursive: true);
    return 0;
}

string[] ids = await StorageCounter.Uncounted(() => SeedAsync(tables, engagements, "2027-01-31"));
// A cycle in steady state: each schedule generation after the first plans from the calendar the one before handed on,
// as the bare schedule does. The first generation's one read of the contract, once in an engagement's life, is left out.
ReportOptions reportOptions = app.Services.GetRequiredService<IOptions<ReportOptions>>().Value;
var contracts = new EngagementStore(tables);
ReportCalendar[] calendars = await StorageCounter.Uncounted(async () =>
    await Task.WhenAll(ids.Select(async id => ReportCalendar.Of((await contracts.GetAsync(id, CancellationToken.None))!, reportOptions))));

var clock = Stopwatch.StartNew();
var before = counter.Snapshot();
IReadOnlyDictionary<string, long> libraryOperationsBefore = counter.LibraryTableOperations();
await RunPacedAsync(
    engagements,
    window,
    () => Directory.EnumerateFiles(outbox, RequestMails).Count(),
    n => durable.ScheduleNewOrchestrationInstanceAsync(nameof(ReportingWorkflow), new ReportingInput(ids[n], 1, calendars[n]), new StartOrchestrationOptions(ReportingWorkflow.InstanceId(ids[n]))),
    "library");
await Waits.UntilAsync(() => StorageCounter.Uncounted(async () => await CountReportRowsAsync(tables) >= engagements), "every report row");
TimeSpan libraryTime = clock.Elapsed;
// What the steps do after their report row (each mail settled with its entry, each portfolio row refreshed) is the
// cycle's too: counted once the library is at rest, however close behind the last report row it comes.
PortfolioIndex portfolio = app.Services.GetRequiredService<PortfolioIndex>();
await Waits.UntilAsync(
    () => StorageCounter.Uncounted(async () => await CountSentMailsAsync(tables) >= engagements && await CaughtUpAsync(portfolio, ids)),
    "the library at rest");
var libraryCounts = Difference(counter.Snapshot(), before);
var libraryOperations = counter.LibraryTableOperations()
    .Select(operation => (operation.Key, Count: operation.Value - libraryOperationsBefore.GetValueOrDefault(operation.Key)))
    .Where(operation => operation.Count > 0)
    .OrderByDescending(operation => operation.Count)
    .ToList();
string[] mailFiles = Directory.GetFiles(outbox, RequestMails);
int mails = mailFiles.Length;
// Outbox files are named {time}-{engagementId}.{requestId}.request.eml: more than one for an engagement is a period asked twice.
int askedTwice = mailFiles.GroupBy(file => Path.GetFileName(file).Split('-', 2)[1].Split('.')[0]).Count(engagement => engagement.Count() > 1);

// History after 12 periods: a sample whose contracts run a year, each period one ContinueAsNew generation.
string[] yearLong = await StorageCounter.Uncounted(() => SeedAsync(tables, sample, "2027-12-31"));
foreach (string id in yearLong)
    await durable.ScheduleNewOrchestrationInstanceAsync(nameof(ReportingWorkflow), new ReportingInput(id, 1), new StartOrchestrationOptions(ReportingWorkflow.InstanceId(id)));
var scheduleRows = new List<int>();
var periodRows = new List<int>();
foreach (string id in yearLong)
{
    await Waits.UntilAsync(
        () => StorageCounter.Uncounted(async () => await durable.GetInstanceAsync(ReportingWorkflow.InstanceId(id)) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed }),
        $"the year-long schedule of {id}",
        TimeSpan.FromMinutes(5));
    await Waits.UntilAsync(() => StorageCounter.Uncounted(async () => await HistoryRowsAsync(tables, libraryHub, ReportPeriodWorkflow.InstanceId(id, HistoryPeriods)) > 0), "period 12's history");
    scheduleRows.Add(await StorageCounter.Uncounted(() => HistoryRowsAsync(tables, libraryHub, ReportingWorkflow.InstanceId(id))));
    int rows = 0;
    for (int period = 1; period <= HistoryPeriods; period++)
        rows += await StorageCounter.Uncounted(() => HistoryRowsAsync(tables, libraryHub, ReportPeriodWorkflow.InstanceId(id, period)));
    periodRows.Add(rows);
}

Console.WriteLine();
Console.WriteLine($"Reporting cycle through the library in steady state (a schedule generation planning from its calendar, request + mail + report row), {engagements} engagements:");
Console.WriteLine($"  wall time            {libraryTime.TotalSeconds,8:0.0} s   ({engagements / libraryTime.TotalSeconds:0.0} cycles/s, {2 * engagements / libraryTime.TotalSeconds:0.0} orchestrations/s, {3 * engagements / libraryTime.TotalSeconds:0.0} executions/s)");
Console.WriteLine($"  storage per cycle    {Total(libraryCounts) / (double)engagements,8:0.0}     (table {libraryCounts.Table / (double)engagements:0.0}, queue {libraryCounts.Queue / (double)engagements:0.0}, blob {libraryCounts.Blob / (double)engagements:0.0})");
Console.WriteLine($"  library's own table operations per cycle {libraryOperations.Sum(operation => operation.Count) / (double)engagements:0.0} (goal ≤ 5): " +
    string.Join(", ", libraryOperations.Select(operation => $"{operation.Key} {operation.Count / (double)engagements:0.0}")));
Console.WriteLine($"  request mails        {mails,8}     (engagements asked twice: {askedTwice})");
Console.WriteLine($"History rows after {HistoryPeriods} periods ({sample} engagements): schedule instance {string.Join(", ", scheduleRows)}; " +
    $"its {HistoryPeriods} period instances together {string.Join(", ", periodRows)} (each waiting for its contractor)");
string[] chained = await StorageCounter.Uncounted(() => SeedAsync(tables, 1, "2027-12-31"));
await ChainRead.RunAsync(app, tables, counter, chained[0]);
await OnboardingLoad.RunAsync(app, counter, Option(args, "--onboarding-callers", OnboardingLoad.DefaultCallers), outbox);
if (benchmark == "all")
    await PortfolioRead.RunAsync(app, tables, counter, portfolioEngagements);

await app.StopAsync();
// Every library period still waits with its reminder timer queued: the bare run starts on empty queues, as the library run did.
await app.Services.GetRequiredService<LocalOrchestrationService>().Service.DeleteAsync();
await app.DisposeAsync();

// 2. The bare Durable Task Framework: the same orchestrations and activities, trivial, on the same Azurite.
string bareHub = "benchbare" + Guid.NewGuid().ToString("N")[..8];
using var bareEngine = new LocalOrchestrationService(
    Options.Create(new LocalEngineOptions { TaskHubName = bareHub, MaxQueuePollingInterval = TimeSpan.FromSeconds(0.5), VisibilityTimeout = visibilityTimeout }),
    Options.Create(new StorageOptions { ConnectionString = storage }),
    NullLoggerFactory.Instance);
await bareEngine.StartAsync(CancellationToken.None);
var bareClient = new TaskHubClient(bareEngine.Service);
int completed = 0;
var worker = new TaskHubWorker(bareEngine.Service, NullLoggerFactory.Instance);
worker.AddTaskOrchestrations(typeof(BareSchedule), typeof(BarePeriod));
worker.AddTaskActivities(new BareNoop(), new BareStartPeriod(bareClient), new BareDone(() => Interlocked.Increment(ref completed)));
await worker.StartAsync();

clock.Restart();
before = counter.Snapshot();
await RunPacedAsync(
    engagements,
    window,
    () => Volatile.Read(ref completed),
    n => bareClient.CreateOrchestrationInstanceAsync(typeof(BareSchedule), $"bare{n:D6}-reports", 1),
    "bare");
TimeSpan bareTime = clock.Elapsed;
var bareCounts = Difference(counter.Snapshot(), before);
await worker.StopAsync(isForced: true);

Console.WriteLine($"Bare Durable Task Framework, same orchestrations and activities, {engagements} cycles:");
Console.WriteLine($"  wall time            {bareTime.TotalSeconds,8:0.0} s   ({engagements / bareTime.TotalSeconds:0.0} cycles/s, {2 * engagements / bareTime.TotalSeconds:0.0} orchestrations/s, {3 * engagements / bareTime.TotalSeconds:0.0} executions/s)");
Console.WriteLine($"  storage per cycle    {Total(bareCounts) / (double)engagements,8:0.0}     (table {bareCounts.Table / (double)engagements:0.0}, queue {bareCounts.Queue / (double)engagements:0.0}, blob {bareCounts.Blob / (double)engagements:0.0})");
Console.WriteLine($"Ratio library / bare:  wall time {libraryTime / bareTime:0.00}x, storage transactions {Total(libraryCounts) / (double)Math.Max(1, Total(bareCounts)):0.00}x");

// 10,000 engagements cannot run on Azurite here (see the README): project a month of them from the per-cycle counts.
double libraryPerCycle = Total(libraryCounts) / (double)engagements;
double barePerCycle = Total(bareCounts) / (double)engagements;
double ownPerCycle = libraryOperations.Sum(operation => operation.Count) / (double)engagements;
Console.WriteLine($"Projection, {projectedEngagements:N0} engagements each reporting once a month, on Azure Storage at {pricePer10k} per 10,000 transactions (--price-per-10k):");
Console.WriteLine($"  library   {libraryPerCycle * projectedEngagements,12:N0} transactions a month ({ownPerCycle * projectedEngagements:N0} of them its own table operations), {libraryPerCycle * projectedEngagements / 10_000 * pricePer10k:0.00} a month");
Console.WriteLine($"  bare      {barePerCycle * projectedEngagements,12:N0} transactions a month, {barePerCycle * projectedEngagements / 10_000 * pricePer10k:0.00} a month");
Console.WriteLine("  (the cycle only: the contractor's answer, its review and any reminder come on top, and so does the engine's polling of idle queues)");
Directory.Delete(outbox, recursive: true);
return 0;

static int Option(string[] args, string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static string TextOption(string[] args, string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static long Total((long Blob, long Queue, long Table) counts) => counts.Blob + counts.Queue + counts.Table;

static (long Blob, long Queue, long Table) Difference((long Blob, long Queue, long Table) after, (long Blob, long Queue, long Table) before) =>
    (after.Blob - before.Blob, after.Queue - before.Queue, after.Table - before.Table);

// Starts cycles, several at once, while fewer than window are unfinished, until every cycle has finished; prints progress each minute.
static async Task RunPacedAsync(int total, int window, Func<int> finished, Func<int, Task> start, string label)
{
    var clock = Stopwatch.StartNew();
    int done = 0;
    Task watch = Task.Run(async () =>
    {
        TimeSpan nextProgress = TimeSpan.FromMinutes(1);
        for (Volatile.Write(ref done, finished()); done < total; Volatile.Write(ref done, finished()))
        {
            if (clock.Elapsed > TimeSpan.FromHours(4))
                throw new TimeoutException($"Gave up on the {label} run with {done} of {total} cycles finished.");
            if (clock.Elapsed >= nextProgress)
            {
                Console.WriteLine($"  {label}: {done} of {total} cycles finished after {clock.Elapsed.TotalSeconds:0} s");
                nextProgress = clock.Elapsed + TimeSpan.FromMinutes(1);
            }

            await Task.Delay(200);
        }
    });
    await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, token) =>
    {
        while (n - Volatile.Read(ref done) >= window && !watch.IsCompleted)
            await Task.Delay(200, token);
        if (!watch.IsCompleted)
            await start(n);
    });
    await watch;
}

/// <summary>Engagement rows already past contract: complete contract, monthly reporting from 2027-01-01 to <paramref name="endsOn"/>.</summary>
static async Task<string[]> SeedAsync(TableServiceClient tables, int count, string endsOn)
{
    await tables.CreateTableIfNotExistsAsync(TableNames.Engagements);
    TableClient table = tables.GetTableClient(TableNames.Engagements);
    OnboardingDraft draft = JsonSerializer.Deserialize<OnboardingDraft>(
        """
        {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"Taro Yamada","email":"yamada@example.co.jp","preferredLanguage":"ja"},
         "purpose":"DM printing","datasets":[{"items":["name","address"],"recordCount":100,"isSensitive":false,"leakCausesSecondaryDamage":false}],
         "plannedStart":"2027-01-01","plannedEnd":"2027-12-31"}
        """,
        ApiJson.Options)!;
    OnboardingRules.Validate(draft, out OnboardingRequest? request);
    string requestJson = JsonSerializer.Serialize(request, ApiJson.Options);
    string terms = JsonSerializer.Serialize(
        new HandoverTerms { DataItems = ["name", "address"], Reporting = new ReportingTerms("取扱状況、漏えい防止策、従事者の変更、再委託先", ReportFrequency.Monthly) },
        ApiJson.Options);
    DateTimeOffset now = DateTimeOffset.UtcNow;
    string[] ids = [.. Enumerable.Range(0, count).Select(_ => EngagementIds.New())];
    var trail = new AuditLog(tables, TimeProvider.System);
    await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, token) =>
    {
        var record = new EngagementRecord
        {
            PartitionKey = id,
            ContractorName = request!.Contractor.Name,
            Stage = nameof(EngagementStage.ContractRequested),
            Request = requestJson,
            RequestHash = "benchmark",
            CreatedAt = now,
            StageChangedAt = now,
            HandoverTerms = terms,
            ContractStartsOn = "2027-01-01",
            ContractEndsOn = endsOn,
            ContractCompletedAt = now.AddHours(-1),
        };
        record.SetClauses(ContractClauses.All);
        await table.AddEntityAsync(record, token);
        // An engagement this far along has a trail: the benchmark's cycle appends to one, as in production.
        foreach (string action in (string[])[AuditActions.EngagementStarted, AuditActions.ContractCompleted])
            await trail.AppendAsync(id, AuditActors.System, action, new Dictionary<string, string> { ["seeded"] = "benchmark" }, token, entryKey: action);
    });
    return ids;
}

static async Task<int> CountReportRowsAsync(TableServiceClient tables)
{
    int rows = 0;
    await foreach (TableEntity _ in tables.GetTableClient(TableNames.Engagements).QueryAsync<TableEntity>($"RowKey eq '{ReportRecord.Key(1)}'", select: ["RowKey"]))
        rows++;
    return rows;
}

static async Task<int> CountSentMailsAsync(TableServiceClient tables)
{
    int rows = 0;
    string sent = TableClient.CreateQueryFilter($"RowKey ge {MailLogRecord.KeyPrefix} and RowKey lt {MailLogRecord.KeyPrefix[..^1] + "}"} and Status eq {nameof(MailStatus.Sent)}");
    await foreach (TableEntity _ in tables.GetTableClient(TableNames.Engagements).QueryAsync<TableEntity>(sent, select: ["RowKey"]))
        rows++;
    return rows;
}

static async Task<bool> CaughtUpAsync(PortfolioIndex portfolio, string[] ids)
{
    foreach (string id in ids)
    {
        if (await portfolio.IsBehindAsync(id, CancellationToken.None))
            return false;
    }

    return true;
}

static async Task<int> HistoryRowsAsync(TableServiceClient tables, string hub, string instanceId)
{
    int rows = 0;
    await foreach (TableEntity _ in tables.GetTableClient(hub + "History").QueryAsync<TableEntity>($"PartitionKey eq '{instanceId}'", select: ["RowKey"]))
        rows++;
    return rows;
}
