using Supervision.Domain.Common;
using Supervision.Handovers;
using Supervision.Kernel;
using Supervision.Tests.Durable;

namespace Supervision.Tests.Handovers;

public sealed class CheckoutWorkflowTests
{
    private static readonly DateTime Now = new(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly CheckoutWorkflowInput Input = new("engagement-1", "checkout-1", new DateOnly(2027, 6, 10), TimeSpan.FromDays(1), 2);

    [Fact]
    public async Task Qa_7_3_AnItemReturnedBeforeItIsDue_IsNeverChased()
    {
        var harness = new OrchestrationHarness(Now) { HoldTimers = true };
        harness.Listen<CheckoutReturned>(nameof(CheckoutReturned));

        Task<string> workflow = new CheckoutWorkflow().RunAsync(harness.Object, Input);
        harness.Raise(nameof(CheckoutReturned), new CheckoutReturned("2027-06-05", "supervisor"));

        Assert.Equal(CheckoutWorkflow.Returned, await workflow);
        Assert.Empty(harness.Activities);
        Assert.True(Assert.Single(harness.TimerTokens).IsCancellationRequested);
    }

    [Fact]
    public async Task Qa_7_3_AnOverdueItem_IsRemindedFromTheEndOfItsDueDayInJapan_ThenEscalated_ThenAwaited()
    {
        var harness = new OrchestrationHarness(Now);
        harness.Listen<CheckoutReturned>(nameof(CheckoutReturned));
        harness.Answer = (name, _) =>
        {
            if (name == nameof(EscalateChased))
                harness.Raise(nameof(CheckoutReturned), new CheckoutReturned("2027-06-20", "supervisor"));
            return true;
        };

        await new CheckoutWorkflow().RunAsync(harness.Object, Input);

        DateTime overdue = JapanCalendar.EndUtc(Input.DueBack).UtcDateTime;
        Assert.Equal([overdue, overdue.AddDays(1), overdue.AddDays(2)], harness.Timers);
        Assert.Equal([nameof(RemindChased), nameof(RemindChased), nameof(EscalateChased)], harness.ActivityNames);
        Assert.All(harness.Activities, call => Assert.Equal(new ChaseTarget(CheckoutChase.ChaseKind, "engagement-1", "checkout-1"), ((ChaseNotice)call.Input!).Target));
    }

    [Fact]
    public async Task Qa_7_3_AnItemTheReminderFindsBack_EndsTheWorkflow_EvenIfItsEventWasLost()
    {
        var harness = new OrchestrationHarness(Now) { Answer = (_, _) => false };
        harness.Listen<CheckoutReturned>(nameof(CheckoutReturned));

        Assert.Equal(CheckoutWorkflow.Returned, await new CheckoutWorkflow().RunAsync(harness.Object, Input));
        Assert.Equal([nameof(RemindChased)], harness.ActivityNames);
    }
}
