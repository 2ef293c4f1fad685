using Supervision.Domain.Incidents;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.Tests.Durable;

namespace Supervision.Tests.Incidents;

public sealed class IncidentWorkflowTests
{
    private static readonly DateTime Now = new(2027, 3, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly IncidentWorkflowInput Input = new("engagement-1", "incident-1");

    private static OrchestrationHarness Harness(bool holdTimers, params OwedReport[] owed)
    {
        var harness = new OrchestrationHarness(Now, "engagement-1-incident-incident-1") { HoldTimers = holdTimers };
        harness.Activity<IncidentSchedule>();
        harness.Listen<IncidentJudged>(nameof(IncidentJudged));
        foreach (IncidentReportKind kind in Enum.GetValues<IncidentReportKind>())
            harness.Listen<IncidentReportSent>(IncidentWorkflow.ReportSentEvent(kind));
        harness.Answer = (name, _) => name == nameof(NotifyIncident)
            ? new IncidentSchedule(owed, TimeSpan.FromDays(1), TimeSpan.FromHours(12), 1)
            : true;
        return harness;
    }

    [Fact]
    public async Task Qa_6_1_EachReportOwed_IsRemindedALeadBeforeItsDeadline_ThenEscalatedBeforeItLapses()
    {
        DateTime preliminary = Now.AddDays(3);
        OrchestrationHarness harness = Harness(holdTimers: false, new OwedReport(IncidentReportKind.Preliminary, preliminary));
        harness.Answer = (name, _) =>
        {
            if (name == nameof(EscalateChased))
                harness.Raise(nameof(IncidentJudged), new IncidentJudged(true));
            return name == nameof(NotifyIncident) ? new IncidentSchedule([new OwedReport(IncidentReportKind.Preliminary, preliminary)], TimeSpan.FromDays(1), TimeSpan.FromHours(12), 1) : true;
        };

        await new IncidentWorkflow().RunAsync(harness.Object, Input);

        Assert.Equal([preliminary.AddDays(-1), preliminary.AddHours(-12)], harness.Timers);
        Assert.Equal([nameof(NotifyIncident), nameof(RemindChased), nameof(EscalateChased)], harness.ActivityNames);
        Assert.Equal(new ChaseTarget(IncidentReportChase.ChaseKind, "engagement-1", "incident-1", "Preliminary"), ((ChaseNotice)harness.Activities[1].Input!).Target);
    }

    [Fact]
    public async Task Qa_6_1_AReportEscalatedAndStillUnsent_DoesNotHoldUpTheChaseOfTheNext()
    {
        OwedReport[] owed = [new(IncidentReportKind.Final, Now.AddDays(30)), new(IncidentReportKind.Preliminary, Now.AddDays(3))];
        OrchestrationHarness harness = Harness(holdTimers: false, owed);
        int escalations = 0;
        harness.Answer = (name, _) =>
        {
            if (name == nameof(EscalateChased) && ++escalations == 2)
                harness.Raise(nameof(IncidentJudged), new IncidentJudged(true));
            return name == nameof(NotifyIncident) ? new IncidentSchedule(owed, TimeSpan.FromDays(1), TimeSpan.FromHours(12), 1) : true;
        };

        await new IncidentWorkflow().RunAsync(harness.Object, Input);

        Assert.Equal(
            ["Preliminary", "Preliminary", "Final", "Final"],
            harness.Activities.Skip(1).Select(call => ((ChaseNotice)call.Input!).Target.Within));
        Assert.Equal([nameof(RemindChased), nameof(EscalateChased), nameof(RemindChased), nameof(EscalateChased)], harness.ActivityNames.Skip(1));
    }

    [Fact]
    public async Task Qa_6_1_ASupervisorsJudgement_StartsTheWorkflowOverOnWhatIsOwedNow()
    {
        OrchestrationHarness harness = Harness(holdTimers: true, new OwedReport(IncidentReportKind.Preliminary, Now.AddDays(3)));

        Task<string> workflow = new IncidentWorkflow().RunAsync(harness.Object, Input);
        harness.Raise(nameof(IncidentJudged), new IncidentJudged(false));

        Assert.Equal("judged", await workflow);
        Assert.Equal(Input with { Judged = true }, harness.ContinuedWith);
    }

    [Fact]
    public async Task OnceJudged_TheWorkflowEnds_WhenEveryReportOwedIsSent()
    {
        OrchestrationHarness harness = Harness(holdTimers: true, new OwedReport(IncidentReportKind.Preliminary, Now.AddDays(3)), new OwedReport(IncidentReportKind.Final, Now.AddDays(30)));

        Task<string> workflow = new IncidentWorkflow().RunAsync(harness.Object, Input with { Judged = true });
        harness.Raise(IncidentWorkflow.ReportSentEvent(IncidentReportKind.Final), new IncidentReportSent(IncidentReportKind.Final));
        Assert.False(workflow.IsCompleted);
        harness.Raise(IncidentWorkflow.ReportSentEvent(IncidentReportKind.Preliminary), new IncidentReportSent(IncidentReportKind.Preliminary));

        Assert.Equal("reports-sent", await workflow);
        Assert.All(harness.TimerTokens, token => Assert.True(token.IsCancellationRequested));
    }
}
