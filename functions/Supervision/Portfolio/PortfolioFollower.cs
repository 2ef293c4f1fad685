using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Audit;

namespace Supervision.Portfolio;

/// <summary>
/// The engagements whose trail moved and whose portfolio row is not yet recomputed: each is marked once however many
/// entries arrive meanwhile, and is recomputed <see cref="Settle"/> after it was marked, so that the commits of one step
/// (a request opened, then its mail settled) are one refresh. Marks live in memory; what a crash loses the daily sweep
/// finds by the trail's sequence. It depends on nothing, because the trail it follows is written by nearly everything.
/// </summary>
public sealed class PortfolioMarks : ITrailFollower
{
    /// <summary>How long a mark waits for the rest of its step's commits; the portfolio is that much behind at most, plus the refresh.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly Channel<(string EngagementId, long MarkedAt)> marked =
        Channel.CreateUnbounded<(string EngagementId, long MarkedAt)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly HashSet<string> pending = [];

    /// <summary>The marks in the order they were made, each with the <see cref="TimeProvider.GetTimestamp"/> it was made at.</summary>
    public ChannelReader<(string EngagementId, long MarkedAt)> Reader => marked.Reader;

    public void Appended(string engagementId, long sequence)
    {
        lock (pending)
        {
            if (!pending.Add(engagementId))
                return;
        }

        marked.Writer.TryWrite((engagementId, TimeProvider.System.GetTimestamp()));
    }

    /// <summary>The engagement is being recomputed: an entry appended from now on marks it again.</summary>
    public void Taken(string engagementId)
    {
        lock (pending)
            pending.Remove(engagementId);
    }
}

/// <summary>Recomputes, in the background, the portfolio row of each engagement <see cref="PortfolioMarks"/> holds.</summary>
public sealed class PortfolioRefresher(PortfolioMarks marks, PortfolioIndex index, ILogger<PortfolioRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach ((string engagementId, long markedAt) in marks.Reader.ReadAllAsync(stoppingToken))
        {
            // Marks come in the order they were made, so waiting for this one never delays a later one past its own time.
            TimeSpan settling = PortfolioMarks.Settle - TimeProvider.System.GetElapsedTime(markedAt);
            if (settling > TimeSpan.Zero)
                await Task.Delay(settling, stoppingToken);
            marks.Taken(engagementId);
            try
            {
                await index.RefreshAsync(engagementId, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Left for the sweep, which finds the row behind the trail.
                logger.LogWarning(e, "Portfolio row of engagement {EngagementId} not refreshed", engagementId);
            }
        }
    }
}
