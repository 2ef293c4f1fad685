using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Storage;

namespace Supervision.Health;

/// <summary><c>GET /api/health</c>: can the app reach its storage and its durable engine?</summary>
public sealed class HealthEndpoints(TableServiceClient tables, ILogger<HealthEndpoints> logger)
{
    public const string Route = "api/health";
    private const string ProbeKey = "health-probe";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<IResult> GetAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        HealthCheck storage = await CheckAsync("storage", async token =>
        {
            TableClient table = tables.GetTableClient(TableNames.Engagements);
            await foreach (TableEntity _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == ProbeKey, maxPerPage: 1, cancellationToken: token))
                break;
        }, cancellationToken);
        HealthCheck engine = await CheckAsync("engine", token => durable.GetInstanceAsync(ProbeKey, token), cancellationToken);

        bool healthy = storage.Healthy && engine.Healthy;
        var report = new HealthReport(healthy ? "Healthy" : "Unhealthy", [storage, engine]);
        return healthy ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private async Task<HealthCheck> CheckAsync(string name, Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        long started = Stopwatch.GetTimestamp();
        try
        {
            await check(timeout.Token);
            return new HealthCheck(name, true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Health check {Check} failed", name);
            return new HealthCheck(name, false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.GetType().Name);
        }
    }
}

public sealed record HealthReport(string Status, IReadOnlyList<HealthCheck> Checks);

public sealed record HealthCheck(string Name, bool Healthy, double ElapsedMs, string? Error);
