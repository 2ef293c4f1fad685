using Microsoft.Extensions.Options;

namespace Supervision.Sweep;

/// <summary>When the sweep runs (<c>Supervision:Sweep</c>).</summary>
public sealed class SweepOptions
{
    public const string Section = "Supervision:Sweep";

    /// <summary>The one default of both hosts' schedule: 20:00 UTC every day, 05:00 JST.</summary>
    public const string DefaultSchedule = "0 0 20 * * *";

    /// <summary>
    /// When the sweep runs: an NCRONTAB expression in UTC (see <see cref="SweepSchedule"/>). The Functions app hands it
    /// to the host as its timer's schedule; the local host sweeps at start-up and then on it. Absent or empty, the default.
    /// </summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>Whether the local host sweeps on its own; tests that share one storage account turn it off and sweep when they choose.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>An empty schedule is the default; any other that NCRONTAB does not parse stops the host at start-up, naming it.</summary>
public sealed class SweepOptionsSetup : IPostConfigureOptions<SweepOptions>, IValidateOptions<SweepOptions>
{
    public void PostConfigure(string? name, SweepOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Schedule))
            options.Schedule = SweepOptions.DefaultSchedule;
    }

    public ValidateOptionsResult Validate(string? name, SweepOptions options) =>
        SweepSchedule.TryParse(options.Schedule, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{SweepOptions.Section}:{nameof(SweepOptions.Schedule)} is '{options.Schedule}', which is not an NCRONTAB expression " +
                $"(five fields, or six with seconds first, in UTC; the default is '{SweepOptions.DefaultSchedule}').");
}
