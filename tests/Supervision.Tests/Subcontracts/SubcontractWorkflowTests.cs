using Supervision.Kernel;
using Supervision.Subcontracts;
using Supervision.Tests.Durable;
using Supervision.Vendors;

namespace Supervision.Tests.Subcontracts;

public sealed class SubcontractWorkflowTests
{
    private static readonly DateTime Now = new(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly SubcontractWorkflowInput Input = new("engagement-1", "tier-1");
    private static readonly OpenedRequest DueDiligence = new("engagement-1", "dd-1", Now.AddDays(14), TimeSpan.FromDays(3), 2);
    private static readonly DateTime DecideBy = Now.AddDays(20);

    private static OrchestrationHarness Harness(bool awaitsStaff, Func<string, object?, object?>? otherwise = null, bool answered = true, bool holdTimers = false)
    {
        var harness = new OrchestrationHarness(Now, "engagement-1-tier-tier-1") { HoldTimers = holdTimers };
        harness.Activity<OpenedRequest>().Activity<TierAfterScoring>();
        harness.Listen<VendorRequestFulfilled>(nameof(VendorRequestFulfilled)).Listen<TierClosed>(nameof(TierClosed)).Listen<TierSettled>(nameof(TierSettled));
        harness.Answer = (name, input) =>
        {
            switch (name)
            {
                case nameof(OpenSubcontractorDueDiligence):
                    if (answered)
                        harness.Raise(nameof(VendorRequestFulfilled), new VendorRequestFulfilled("dd-1", "link-1"));
                    return DueDiligence;
                case nameof(ScoreSubcontractor):
                    return new TierAfterScoring(awaitsStaff, DecideBy, TimeSpan.FromDays(1), 1);
                default:
                    return otherwise?.Invoke(name, input) ?? true;
            }
        };
        return harness;
    }

    [Fact]
    public async Task Qa_3_2_AnApprovalOwed_IsChasedFromTheScore_UntilASupervisorSettlesIt()
    {
        OrchestrationHarness harness = null!;
        harness = Harness(awaitsStaff: true, otherwise: (name, _) =>
        {
            if (name == nameof(EscalateChased))
                harness.Raise(nameof(TierSettled), new TierSettled("InForce"));
            return true;
        });

        string outcome = await new SubcontractWorkflow().RunAsync(harness.Object, Input);

        Assert.Equal("settled", outcome);
        Assert.Equal([nameof(OpenSubcontractorDueDiligence), nameof(ScoreSubcontractor), nameof(RemindChased), nameof(EscalateChased)], harness.ActivityNames);
        Assert.Equal([DecideBy, DecideBy.AddDays(1)], harness.Timers);
        Assert.All(harness.Activities.Skip(2), call => Assert.Equal(new ChaseTarget(SubcontractDecisionChase.ChaseKind, "engagement-1", "tier-1"), ((ChaseNotice)call.Input!).Target));
        var open = (TierDueDiligenceInput)harness.Activities[0].Input!;
        Assert.Equal(RequestIds.Derive("engagement-1-tier-tier-1", "due-diligence"), open.RequestId);
    }

    [Fact]
    public async Task ATierNoSupervisorAwaits_EndsWithItsScore_AndNobodyIsChased()
    {
        OrchestrationHarness harness = Harness(awaitsStaff: false);

        Assert.Equal("scored", await new SubcontractWorkflow().RunAsync(harness.Object, Input));
        Assert.Equal([nameof(OpenSubcontractorDueDiligence), nameof(ScoreSubcontractor)], harness.ActivityNames);
    }

    [Fact]
    public async Task ATierClosedWhileItsDueDiligenceIsOpen_EndsTheWorkflow_WithoutScoringOrChasing()
    {
        OrchestrationHarness harness = Harness(awaitsStaff: true, answered: false, holdTimers: true);

        Task<string> workflow = new SubcontractWorkflow().RunAsync(harness.Object, Input);
        harness.Raise(nameof(TierClosed), new TierClosed("Suspended"));

        Assert.Equal("Suspended", await workflow);
        Assert.Equal([nameof(OpenSubcontractorDueDiligence)], harness.ActivityNames);
        Assert.True(Assert.Single(harness.TimerTokens).IsCancellationRequested);
    }

    [Fact]
    public async Task ADueDiligenceTheChaseFindsNoLongerOpen_GoesToTheScore_WhichReadsWhetherItWasAnswered()
    {
        OrchestrationHarness harness = Harness(awaitsStaff: false, answered: false, otherwise: (name, _) => name != nameof(RemindChased));

        Assert.Equal("scored", await new SubcontractWorkflow().RunAsync(harness.Object, Input));
        Assert.Equal([nameof(OpenSubcontractorDueDiligence), nameof(RemindChased), nameof(ScoreSubcontractor)], harness.ActivityNames);
        Assert.Equal(DueDiligence.DueAt, harness.Timers[0]);
    }
}
