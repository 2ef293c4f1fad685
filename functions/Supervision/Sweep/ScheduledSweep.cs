using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Supervision.Sweep;

/// <summary>
/// The daily sweep where no timer trigger exists (the local host): once at start-up, then at each occurrence of
/// <see cref="SweepOptions.Schedule"/>, the schedule the Functions app's timer runs on. A failed sweep is logged and
/// the next one runs on time.
/// </summary>
public sealed class ScheduledSweep(DailySweep sweep, DurableTaskClient durable, IOptions<SweepOptions> options, TimeProvider time, ILogger<ScheduledSweep> logger)
    : BackgroundService
{
    // Task.Delay takes at most about 49 days; a longer wait (a yearly schedule) is waited in steps.
    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SweepOptions settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("The daily sweep is turned off ({Section}:{Setting})", SweepOptions.Section, nameof(SweepOptions.Enabled));
            return;
        }

        SweepSchedule schedule = SweepSchedule.Parse(settings.Schedule);
        logger.LogInformation("The daily sweep runs at start-up and then on '{Schedule}' (UTC)", schedule);
        do
        {
            try
            {
                await sweep.RunAsync(durable, time.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "The daily sweep failed; the next runs at {Next}", schedule.Next(time.GetUtcNow()));
            }
        }
        while (await WaitUntilAsync(schedule.Next(time.GetUtcNow()), stoppingToken));
    }

    private async Task<bool> WaitUntilAsync(DateTimeOffset due, CancellationToken stoppingToken)
    {
        try
        {
            for (TimeSpan left = due - time.GetUtcNow(); left > TimeSpan.Zero; left = due - time.GetUtcNow())
                await Task.Delay(left < LongestDelay ? left : LongestDelay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
