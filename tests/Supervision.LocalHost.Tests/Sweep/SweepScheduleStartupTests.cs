using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Supervision.Sweep;

namespace Supervision.LocalHost.Tests.Sweep;

/// <summary>
/// The local host sweeps on the schedule the Functions app's timer runs on, with the same default, and refuses to start
/// on one NCRONTAB does not parse, as the Functions app's worker does. Neither needs storage: the host is not started.
/// </summary>
public sealed class SweepScheduleStartupTests
{
    private static readonly string[] NoStorage = ["--Azurite:Start=false", "--Supervision:Storage:ConnectionString=UseDevelopmentStorage=true"];

    [Fact]
    public async Task WithNoSetting_TheLocalHostSweepsOnTheDefaultSchedule()
    {
        await using WebApplication host = LocalHostApp.Create(NoStorage);

        Assert.Equal(SweepOptions.DefaultSchedule, host.Services.GetRequiredService<IOptions<SweepOptions>>().Value.Schedule);
    }

    [Fact]
    public async Task AScheduleThatIsNotNcrontab_StopsTheLocalHostAtStartUp_NamingTheSettingAndTheValue()
    {
        await using WebApplication host = LocalHostApp.Create([.. NoStorage, "--Supervision:Sweep:Schedule=0 0 25 * * *"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        OptionsValidationException refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("Supervision:Sweep:Schedule is '0 0 25 * * *'", refused.Message, StringComparison.Ordinal);
    }
}
