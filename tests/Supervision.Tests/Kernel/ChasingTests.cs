using Supervision.Domain.Common;
using Supervision.Kernel;
using Supervision.Tests.Durable;

namespace Supervision.Tests.Kernel;

public sealed class ChasingTests
{
    private static readonly DateTime Now = new(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly ChaseTarget Target = new("request", "engagement-1", "request-1");
    private static readonly ChasePolicy Policy = new(TimeSpan.FromDays(3), 3);

    [Fact]
    public async Task AChaseStartedEightDaysPastDue_RemindsOnceNow_AndThenEveryIntervalFromTheLastReminder_NeverInABurst()
    {
        var harness = new OrchestrationHarness(Now);
        var done = new TaskCompletionSource();
        Chase chase = Chase.Start(Target, Now.AddDays(-8), new ChasePolicy(TimeSpan.FromSeconds(15), 3));
        harness.Answer = (name, _) =>
        {
            if (name == nameof(EscalateChased))
                done.SetResult();
            return true;
        };

        await Chasing.UntilDoneAsync(harness.Object, chase, done.Task);

        Assert.Equal([nameof(RemindChased), nameof(RemindChased), nameof(RemindChased), nameof(EscalateChased)], harness.ActivityNames);
        Assert.Equal([Now, Now.AddSeconds(15), Now.AddSeconds(30), Now.AddSeconds(45)], harness.Activities.Select(call => call.At));
    }

    [Fact]
    public async Task Reminders_AreNumbered_AndTheEscalationCarriesHowManyWereSent()
    {
        var harness = new OrchestrationHarness(Now);
        var done = new TaskCompletionSource();
        harness.Answer = (name, _) =>
        {
            if (name == nameof(EscalateChased))
                done.SetResult();
            return true;
        };

        await Chasing.UntilDoneAsync(harness.Object, Chase.Start(Target, Now.AddDays(14), Policy), done.Task);

        Assert.Equal(
            [new ChaseNotice(Target, 1), new ChaseNotice(Target, 2), new ChaseNotice(Target, 3), new ChaseNotice(Target, 3)],
            harness.Activities.Select(call => (ChaseNotice)call.Input!));
        Assert.Equal([Now.AddDays(14), Now.AddDays(17), Now.AddDays(20), Now.AddDays(23)], harness.Timers);
    }

    [Fact]
    public async Task AfterEscalating_TheChaseSetsNoMoreTimers_AndEndsWhenTheThingIsDone()
    {
        var harness = new OrchestrationHarness(Now);
        var done = new TaskCompletionSource();
        Chase escalated = Chase.Start(Target, Now, Policy) with { Progress = new ChaseProgress(3, Escalated: true, LastStepAt: Now) };

        Task<Chase> chasing = Chasing.UntilDoneAsync(harness.Object, escalated, done.Task);
        Assert.False(chasing.IsCompleted);
        done.SetResult();
        await chasing;

        Assert.Empty(harness.Timers);
        Assert.Empty(harness.Activities);
    }

    [Fact]
    public async Task TheThingDoneBeforeTheDueTime_EndsTheChase_SendsNothing_AndCancelsTheTimer()
    {
        var harness = new OrchestrationHarness(Now) { HoldTimers = true };
        var done = new TaskCompletionSource();

        Task<ChaseOutcome> step = Chasing.StepAsync(harness.Object, Chase.Start(Target, Now.AddDays(14), Policy), done.Task);
        done.SetResult();
        ChaseOutcome outcome = await step;

        Assert.True(outcome.Over);
        Assert.Empty(harness.Activities);
        Assert.True(Assert.Single(harness.TimerTokens).IsCancellationRequested);
    }

    [Fact]
    public async Task ASubjectSayingNothingIsOwed_EndsTheChase_WithoutEscalating()
    {
        var harness = new OrchestrationHarness(Now) { Answer = (_, _) => false };

        Chase ended = await Chasing.UntilDoneAsync(harness.Object, Chase.Start(Target, Now, Policy), new TaskCompletionSource().Task);

        Assert.Equal([nameof(RemindChased)], harness.ActivityNames);
        Assert.Equal(1, ended.Progress.Reminders);
    }

    [Fact]
    public async Task OneStep_CarriesItsProgress_SoAWorkflowContinuedAsNewResumesTheSameSchedule()
    {
        var harness = new OrchestrationHarness(Now);
        var never = new TaskCompletionSource().Task;
        Chase chase = Chase.Start(Target, Now.AddDays(1), Policy);

        ChaseOutcome first = await Chasing.StepAsync(harness.Object, chase, never);
        ChaseOutcome second = await Chasing.StepAsync(harness.Object, first.Chase, never);

        Assert.False(second.Over);
        Assert.Equal(new ChaseProgress(2, false, Now.AddDays(4)), second.Chase.Progress);
        Assert.Equal([Now.AddDays(1), Now.AddDays(4)], harness.Timers);
    }

    [Fact]
    public async Task ReplayingTheSameHistory_TakesTheSameSteps()
    {
        async Task<List<(string, object?, DateTime)>> Run()
        {
            var harness = new OrchestrationHarness(Now);
            var done = new TaskCompletionSource();
            harness.Answer = (name, _) =>
            {
                if (harness.Activities.Count == 2)
                    done.SetResult();
                return true;
            };
            await Chasing.UntilDoneAsync(harness.Object, Chase.Start(Target, Now.AddDays(-1), Policy), done.Task);
            return harness.Activities;
        }

        List<(string, object?, DateTime)> first = await Run();

        Assert.Equal(2, first.Count);
        Assert.Equal(first, await Run());
    }
}
