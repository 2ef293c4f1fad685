using Supervision.Sweep;

namespace Supervision.Tests.Sweep;

/// <summary>The sweep's schedule is read as the Functions host's timer reads NCRONTAB, in UTC.</summary>
public sealed class SweepScheduleTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    [Fact]
    public void TheDefault_Is0500Jst_EveryDay()
    {
        SweepSchedule schedule = SweepSchedule.Parse(SweepOptions.DefaultSchedule);

        Assert.Equal(new DateTimeOffset(2027, 3, 1, 5, 0, 0, Jst), schedule.Next(new DateTimeOffset(2027, 2, 28, 23, 0, 0, Jst)));
        Assert.Equal(new DateTimeOffset(2027, 3, 2, 5, 0, 0, Jst), schedule.Next(new DateTimeOffset(2027, 3, 1, 5, 0, 0, Jst)));
        Assert.Equal(TimeSpan.Zero, schedule.Next(DateTimeOffset.UnixEpoch).Offset);
    }

    [Fact]
    public void FiveFields_AreMinutesFirst_AndSixFields_SecondsFirst_AsTheHostReadsThem()
    {
        DateTimeOffset now = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddHours(20).AddMinutes(15), SweepSchedule.Parse("15 20 * * *").Next(now));
        Assert.Equal(now.AddHours(20).AddMinutes(15).AddSeconds(30), SweepSchedule.Parse("30 15 20 * * *").Next(now));
    }

    [Fact]
    public void TheExpression_IsGivenOnWithoutSurroundingSpace()
    {
        Assert.Equal("0 30 21 * * 1-5", SweepSchedule.Parse("  0 30 21 * * 1-5 ").Expression);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("daily")]
    [InlineData("0 0 25 * * *")]
    [InlineData("0 0 20 * * * *")]
    [InlineData("1.00:00:00")]
    [InlineData("%Supervision:Sweep:Schedule%")]
    public void WhatIsNotNcrontab_DoesNotParse(string? expression)
    {
        Assert.False(SweepSchedule.TryParse(expression, out SweepSchedule? schedule));
        Assert.Null(schedule);
        Assert.Throws<FormatException>(() => SweepSchedule.Parse(expression));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AnEmptySetting_IsTheDefault(string setting)
    {
        var options = new SweepOptions { Schedule = setting };

        new SweepOptionsSetup().PostConfigure(null, options);

        Assert.Equal(SweepOptions.DefaultSchedule, options.Schedule);
    }

    [Fact]
    public void AnInvalidSetting_FailsValidation_NamingTheSettingAndTheValue()
    {
        var setup = new SweepOptionsSetup();

        Assert.True(setup.Validate(null, new SweepOptions()).Succeeded);
        string failure = Assert.Single(setup.Validate(null, new SweepOptions { Schedule = "0 0 25 * * *" }).Failures!);
        Assert.StartsWith("Supervision:Sweep:Schedule is '0 0 25 * * *', which is not an NCRONTAB expression", failure, StringComparison.Ordinal);
    }
}
