using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Engagements;
using Supervision.Health;
using Supervision.Portfolio;
using Supervision.Security;

namespace Supervision.Benchmarks;

/// <summary>
/// <c>POST /api/engagements</c> under concurrent callers (issue 11's goal: p95 ≤ 100 ms locally), through the host's HTTP
/// API, against <c>GET /api/health</c> (one table read behind the same routing and sign-in) under the same callers in
/// the same run. Each onboarding writes its engagement, its trail entry and its index row and starts its workflow.
/// </summary>
internal static class OnboardingLoad
{
    public const double GoalMilliseconds = 100;
    public const int DefaultCallers = 20;
    private const int WarmUpPerCaller = 2;
    private const int RequestsPerCaller = 10;

    private const string Onboarding =
        """
        {"contractor":{"name":"株式会社サンプル印刷"},"contact":{"name":"山田 太郎","email":"yamada@example.co.jp","preferredLanguage":"ja"},
         "purpose":"DM printing","datasets":[{"items":["name","postal address"],"recordCount":1000,"isSensitive":false,"leakCausesSecondaryDamage":false}],
         "plannedStart":"2027-01-15","plannedEnd":"2027-03-31"}
        """;

    public static async Task RunAsync(WebApplication app, StorageCounter counter, int callers, string outbox)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(counter);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Add(DevelopmentSignIn.UserHeader, "benchmark");
        http.DefaultRequestHeaders.Add(DevelopmentSignIn.RolesHeader, "procurement");
        double[] alone = await MeasureAloneAsync(http, app.Services.GetRequiredService<PortfolioIndex>(), outbox);

        double[] health = await MeasureAsync(callers, async () =>
        {
            using HttpResponseMessage response = await http.GetAsync("/" + HealthEndpoints.Route);
            response.EnsureSuccessStatusCode();
        });
        long before = counter.Snapshot().Table;
        double[] onboarding = await MeasureAsync(callers, async () =>
        {
            await OnboardAsync(http);
        });

        // The workflows the onboardings started run meanwhile: their table operations are counted too.
        double tablesPerOnboarding = (counter.Snapshot().Table - before) / (double)(callers * (WarmUpPerCaller + RequestsPerCaller));
        Console.WriteLine($"POST /api/engagements through the host's HTTP API, {callers} concurrent callers, {callers * RequestsPerCaller} requests after {callers * WarmUpPerCaller} warm-up, times in ms:");
        Console.WriteLine($"  onboarding          median {Latency.Median(onboarding),6:0.0}   p95 {Latency.P95(onboarding),6:0.0}   table transactions per onboarding while they ran {tablesPerOnboarding:0.0} (their workflows' included)");
        Console.WriteLine($"  onboarding alone    median {Latency.Median(alone),6:0.0}   p95 {Latency.P95(alone),6:0.0}   (one caller, {alone.Length} onboardings, each once the one before is at rest: its workflow has mailed the contractor, its portfolio row has caught up)");
        Console.WriteLine($"  GET /api/health     median {Latency.Median(health),6:0.0}   p95 {Latency.P95(health),6:0.0}   (baseline: a table read behind the same routing)");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Ratio onboarding / health: median {Latency.Median(onboarding) / Latency.Median(health):0.0}x, p95 {Latency.P95(onboarding) / Latency.P95(health):0.0}x; goal p95 ≤ {GoalMilliseconds:0} ms: {Latency.Verdict(Latency.P95(onboarding), GoalMilliseconds)}"));
    }

    /// <summary>
    /// Onboardings one at a time, each once the workflow the one before started has mailed its contractor and the
    /// portfolio has caught up with its trail: what an onboarding costs when nothing else runs.
    /// </summary>
    private static async Task<double[]> MeasureAloneAsync(HttpClient http, PortfolioIndex portfolio, string outbox)
    {
        var times = new List<double>(RequestsPerCaller);
        for (int n = 0; n < WarmUpPerCaller + RequestsPerCaller; n++)
        {
            long start = Stopwatch.GetTimestamp();
            string engagementId = await OnboardAsync(http);
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (n >= WarmUpPerCaller)
                times.Add(elapsed);
            await StorageCounter.Uncounted(async () =>
            {
                await Waits.UntilAsync(
                    async () => Directory.EnumerateFiles(outbox, $"*-{engagementId}.*.request.eml").Any() && !await portfolio.IsBehindAsync(engagementId, CancellationToken.None),
                    $"onboarding {engagementId} at rest");
                return true;
            });
        }

        double[] sorted = [.. times];
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Starts an engagement; answers its id.</summary>
    private static async Task<string> OnboardAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + EngagementEndpoints.CollectionRoute)
        {
            Content = new StringContent(Onboarding, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using HttpResponseMessage response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Onboarding answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString.Split('/')[^1];
    }

    /// <summary>Every caller sends its requests one after another; answers all the timed ones, sorted.</summary>
    private static async Task<double[]> MeasureAsync(int callers, Func<Task> call)
    {
        var times = new List<double>(callers * RequestsPerCaller);
        await Parallel.ForEachAsync(Enumerable.Range(0, callers), new ParallelOptions { MaxDegreeOfParallelism = callers }, async (_, _) =>
        {
            for (int n = 0; n < WarmUpPerCaller + RequestsPerCaller; n++)
            {
                long start = Stopwatch.GetTimestamp();
                await call();
                double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (n >= WarmUpPerCaller)
                {
                    lock (times)
                        times.Add(elapsed);
                }
            }
        });
        double[] sorted = [.. times];
        Array.Sort(sorted);
        return sorted;
    }
}
