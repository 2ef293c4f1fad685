using Supervision.Kernel;

namespace Supervision.Sweep;

/// <summary>What one sweep found and did; ids are engagement ids, request ids or durable instance ids.</summary>
public sealed record SweepReport(
    DateOnly Today,
    int EngagementsScanned,
    int CheckoutsScanned,
    IReadOnlyList<string> RenewalRequestsOpened,
    IReadOnlyList<string> RenewalRequestsAlreadyOpen,
    IReadOnlyList<string> OverdueCheckouts,
    IReadOnlyList<string> CheckoutWorkflowsRestarted,
    IReadOnlyList<string> EngagementWorkflowsRestarted,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> ReportSchedulesRestarted,
    IReadOnlyList<string> DutyWorkflowsLost,
    RelayReport? Events = null,
    int TrailsAnchored = 0,
    IReadOnlyList<string>? EngagementsEnded = null,
    IReadOnlyList<string>? IncidentWorkflowsRestarted = null,
    IReadOnlyList<string>? EndNoticesSent = null,
    IReadOnlyList<string>? FollowersCaughtUp = null);

/// <summary>What the parts of one sweep found and did so far, gathered into its <see cref="SweepReport"/>.</summary>
public sealed class SweepTally
{
    public int EngagementsScanned { get; set; }

    public int CheckoutsScanned { get; set; }

    public int TrailsAnchored { get; set; }

    public List<string> RenewalRequestsOpened { get; } = [];

    public List<string> RenewalRequestsAlreadyOpen { get; } = [];

    public List<string> OverdueCheckouts { get; } = [];

    public List<string> CheckoutWorkflowsRestarted { get; } = [];

    public List<string> EngagementWorkflowsRestarted { get; } = [];

    public List<string> Failures { get; } = [];

    public List<string> ReportSchedulesRestarted { get; } = [];

    public List<string> DutyWorkflowsLost { get; } = [];

    public List<string> EngagementsEnded { get; } = [];

    public List<string> IncidentWorkflowsRestarted { get; } = [];

    public List<string> EndNoticesSent { get; } = [];

    public List<string> FollowersCaughtUp { get; } = [];

    public SweepReport Report(DateOnly today, RelayReport events) => new(
        today,
        EngagementsScanned,
        CheckoutsScanned,
        RenewalRequestsOpened,
        RenewalRequestsAlreadyOpen,
        OverdueCheckouts,
        CheckoutWorkflowsRestarted,
        EngagementWorkflowsRestarted,
        Failures,
        ReportSchedulesRestarted,
        DutyWorkflowsLost,
        events,
        TrailsAnchored,
        EngagementsEnded,
        IncidentWorkflowsRestarted,
        EndNoticesSent,
        FollowersCaughtUp);
}
