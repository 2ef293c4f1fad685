using Supervision.Domain.Common;
using Supervision.Inspections;
using Supervision.Kernel;
using Supervision.Tests.Durable;
using Supervision.Vendors;

namespace Supervision.Tests.Inspections;

public sealed class CorrectiveActionWorkflowTests
{
    private static readonly DateTime Now = new(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly ChaseTarget Target = new(CorrectiveActionChase.ChaseKind, "engagement-1", "action-1", Within: "inspection-1");

    private static CorrectiveActionInput Input(DateTime dueAt) =>
        new("engagement-1", "inspection-1", "action-1", Chase.Start(Target, dueAt, new ChasePolicy(TimeSpan.FromDays(1), 2)));

    private static OrchestrationHarness Harness() =>
        new OrchestrationHarness(Now, "engagement-1-action-action-1")
            .Listen<ActionClosed>(nameof(ActionClosed))
            .Listen<VendorRequestFulfilled>(nameof(VendorRequestFulfilled));

    [Fact]
    public async Task Qa_1_6_ANewAction_AsksForItsReport_RemindsOnceWhenOverdue_AndContinuesAsNewWithItsProgress()
    {
        OrchestrationHarness harness = Harness();

        string outcome = await new CorrectiveActionWorkflow().RunAsync(harness.Object, Input(Now.AddDays(7)));

        Assert.Equal("reminded", outcome);
        Assert.Equal([nameof(OpenCorrectiveActionRequest), nameof(RemindChased)], harness.ActivityNames);
        var next = Assert.IsType<CorrectiveActionInput>(harness.ContinuedWith);
        Assert.NotNull(next.RequestId);
        Assert.Equal(new ChaseProgress(1, false, Now.AddDays(7)), next.Chase.Progress);
    }

    [Fact]
    public async Task Qa_1_6_AnActionPastDueWhenRecorded_GetsOneReminderPerExecution_EachAnIntervalAfterTheLast()
    {
        OrchestrationHarness harness = Harness();
        CorrectiveActionInput input = Input(Now.AddDays(-8)) with { RequestId = "request-1" };

        await new CorrectiveActionWorkflow().RunAsync(harness.Object, input);
        await new CorrectiveActionWorkflow().RunAsync(harness.Object, (CorrectiveActionInput)harness.ContinuedWith!);

        Assert.Equal([Now.AddDays(-8), Now.AddDays(1)], harness.Timers);
        Assert.Equal([Now, Now.AddDays(1)], harness.Activities.Select(call => call.At));
    }

    [Fact]
    public async Task Qa_1_6_ClosedWhileWaiting_EndsWithoutReminding_OrContinuing()
    {
        OrchestrationHarness harness = Harness();
        harness.HoldTimers = true;

        Task<string> workflow = new CorrectiveActionWorkflow().RunAsync(harness.Object, Input(Now.AddDays(7)) with { RequestId = "request-1" });
        harness.Raise(nameof(ActionClosed), new ActionClosed("supervisor"));

        Assert.Equal(CorrectiveActionWorkflow.Closed, await workflow);
        Assert.Empty(harness.Activities);
        Assert.Null(harness.ContinuedWith);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Qa_1_6_AReport_IsRecorded_ThenOnlyClosureIsAwaited_OrARefusedOneAsksAgain(bool taken)
    {
        OrchestrationHarness harness = Harness();
        harness.HoldTimers = true;
        harness.Answer = (_, _) => taken;

        Task<string> workflow = new CorrectiveActionWorkflow().RunAsync(harness.Object, Input(Now.AddDays(7)) with { RequestId = "request-1" });
        harness.Raise(nameof(VendorRequestFulfilled), new VendorRequestFulfilled("request-1", "link-1"));
        await workflow;

        var (name, input, _) = Assert.Single(harness.Activities);
        Assert.Equal(nameof(RecordCorrectiveActionReport), name);
        Assert.Equal("request-1", ((ActionReportRequest)input!).RequestId);
        var next = Assert.IsType<CorrectiveActionInput>(harness.ContinuedWith);
        Assert.Equal(taken, next.Reported);
        Assert.Equal(taken ? "request-1" : null, next.RequestId);
        Assert.Equal(taken ? 1 : 2, next.Attempt);
    }

    [Fact]
    public async Task Qa_1_6_AReportedAction_WaitsOnlyForClosure_WithNoTimer()
    {
        OrchestrationHarness harness = Harness();

        Task<string> workflow = new CorrectiveActionWorkflow().RunAsync(harness.Object, Input(Now) with { RequestId = "request-1", Reported = true });
        Assert.False(workflow.IsCompleted);
        harness.Raise(nameof(ActionClosed), new ActionClosed("supervisor"));

        Assert.Equal(CorrectiveActionWorkflow.Closed, await workflow);
        Assert.Empty(harness.Timers);
    }

    [Fact]
    public async Task Qa_1_6_AnActionTheChaseFindsClosed_EndsTheWorkflow_EvenIfTheClosureEventWasLost()
    {
        OrchestrationHarness harness = Harness();
        harness.Answer = (name, _) => name != nameof(RemindChased);

        Assert.Equal(CorrectiveActionWorkflow.Closed, await new CorrectiveActionWorkflow().RunAsync(harness.Object, Input(Now) with { RequestId = "request-1" }));
        Assert.Null(harness.ContinuedWith);
    }

    [Fact]
    public async Task Qa_1_6_AnActionClosedBeforeItsRequestOpened_AsksNothing()
    {
        OrchestrationHarness harness = Harness();
        harness.Answer = (_, _) => false;

        Assert.Equal(CorrectiveActionWorkflow.Closed, await new CorrectiveActionWorkflow().RunAsync(harness.Object, Input(Now)));
        Assert.Equal([nameof(OpenCorrectiveActionRequest)], harness.ActivityNames);
    }
}
