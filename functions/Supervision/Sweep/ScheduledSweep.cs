using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Supervision.Sweep;

/// <summary>
/// The daily sweep where no timer trigger exists (the local host): once at start-up, then every
/// <see cref="SweepOptions.Interval"/>. A failed sweep is logged and the next one runs on time.
/// </summary>
public sealed class ScheduledSweep(DailySweep sweep, DurableTaskClient durable, IOptions<SweepOptions> options, TimeProvider time, ILogger<ScheduledSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SweepOptions settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("The daily sweep is turned off ({Section}:{Setting})", SweepOptions.Section, nameof(SweepOptions.Enabled));
            return;
        }

        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            try
            {
                await sweep.RunAsync(durable, time.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "The daily sweep failed; the next runs in {Interval}", settings.Interval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
