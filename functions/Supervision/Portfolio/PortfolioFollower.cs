using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Audit;

namespace Supervision.Portfolio;

/// <summary>
/// The engagements whose trail moved and whose portfolio row is not yet recomputed: each is marked once however many
/// entries arrive meanwhile. Marks live in memory; what a crash loses the daily sweep finds by the trail's sequence.
/// It depends on nothing, because the trail it follows is written by nearly everything.
/// </summary>
public sealed class PortfolioMarks : ITrailFollower
{
    private readonly Channel<string> marked = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    private readonly HashSet<string> pending = [];

    public ChannelReader<string> Reader => marked.Reader;

    public void Appended(string engagementId, long sequence)
    {
        lock (pending)
        {
            if (!pending.Add(engagementId))
                return;
        }

        marked.Writer.TryWrite(engagementId);
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
        await foreach (string engagementId in marks.Reader.ReadAllAsync(stoppingToken))
        {
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
