namespace Supervision.Sweep;

/// <summary>When the sweep runs (<c>Supervision:Sweep</c>).</summary>
public sealed class SweepOptions
{
    public const string Section = "Supervision:Sweep";

    /// <summary>The Functions timer's NCRONTAB schedule in UTC, read by the trigger as <c>%Supervision:Sweep:Schedule%</c>: 05:00 JST.</summary>
    public const string DefaultSchedule = "0 0 20 * * *";

    /// <summary>How often the local host sweeps, after a first sweep at start-up.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether the local host sweeps on its own; tests that share one storage account turn it off and sweep when they choose.</summary>
    public bool Enabled { get; set; } = true;
}
