using Supervision.Domain.Common;

namespace Supervision.Domain.Tests.Common;

public sealed class ChaseScheduleTests
{
    private static readonly DateTime Due = new(2027, 5, 10, 15, 0, 0, DateTimeKind.Utc);
    private static readonly ChasePolicy ThreeEveryThreeDays = new(TimeSpan.FromDays(3), 3);

    [Fact]
    public void TheFirstReminder_IsDueWhenTheThingFallsDue()
    {
        ChaseStep step = ChaseSchedule.Next(Due, new ChaseProgress(), ThreeEveryThreeDays);

        Assert.Equal(new ChaseStep(ChaseAction.Remind, Due, 1), step);
    }

    [Fact]
    public void EachLaterReminder_IsOneIntervalAfterThePreviousWasSent()
    {
        DateTime sentAt = Due.AddHours(5);
        ChaseProgress progress = ChaseSchedule.After(new ChaseProgress(), new ChaseStep(ChaseAction.Remind, Due, 1), sentAt);

        Assert.Equal(new ChaseStep(ChaseAction.Remind, sentAt.AddDays(3), 2), ChaseSchedule.Next(Due, progress, ThreeEveryThreeDays));
    }

    [Fact]
    public void AChaseStartedLongAfterTheDueDate_SendsOneReminderNow_AndTheNextAnIntervalLater_NeverACatchUpBurst()
    {
        // An action recorded with a due date eight days past, chased every 15 seconds: the storm that sent 442 mails.
        var policy = new ChasePolicy(TimeSpan.FromSeconds(15), 1000);
        DateTime pastDue = Due.AddDays(-8);
        DateTime now = Due;
        var progress = new ChaseProgress();
        var sent = new List<DateTime>();
        for (DateTime clock = now; clock < now.AddMinutes(1); clock = clock.AddSeconds(1))
        {
            ChaseStep step = ChaseSchedule.Next(pastDue, progress, policy);
            if (step.At <= clock)
            {
                sent.Add(clock);
                progress = ChaseSchedule.After(progress, step, clock);
            }
        }

        Assert.Equal([now, now.AddSeconds(15), now.AddSeconds(30), now.AddSeconds(45)], sent);
    }

    [Fact]
    public void AfterTheLastReminder_OneEscalationFollowsAnIntervalLater_ThenOnlyWaiting()
    {
        var progress = new ChaseProgress(Reminders: 3, LastStepAt: Due.AddDays(6));

        ChaseStep escalation = ChaseSchedule.Next(Due, progress, ThreeEveryThreeDays);
        ChaseProgress escalated = ChaseSchedule.After(progress, escalation, Due.AddDays(9));

        Assert.Equal(new ChaseStep(ChaseAction.Escalate, Due.AddDays(9), 3), escalation);
        Assert.True(escalated.Escalated);
        Assert.Equal(new ChaseStep(ChaseAction.Wait, null, 3), ChaseSchedule.Next(Due, escalated, ThreeEveryThreeDays));
    }

    [Fact]
    public void APolicyWithNoReminders_EscalatesWhenTheThingFallsDue()
    {
        Assert.Equal(new ChaseStep(ChaseAction.Escalate, Due, 0), ChaseSchedule.Next(Due, new ChaseProgress(), ThreeEveryThreeDays with { MaxReminders = 0 }));
    }

    [Fact]
    public void APolicyWithoutAPositiveInterval_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChasePolicy(TimeSpan.Zero, 3).Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChasePolicy(TimeSpan.FromDays(1), -1).Validated());
    }
}
