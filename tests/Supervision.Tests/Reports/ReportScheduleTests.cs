using Supervision.Domain.Contracts;
using Supervision.Reports;
using Supervision.Tests.Durable;

namespace Supervision.Tests.Reports;

/// <summary>
/// The report schedule (1-6, 2-4): one generation per period, the contract read by the first generation only, its
/// calendar handed on through <c>ContinueAsNew</c>.
/// </summary>
public sealed class ReportScheduleTests
{
    private const string EngagementId = "engagement-1";
    private static readonly DateTime Now = new(2027, 1, 15, 0, 0, 0, DateTimeKind.Utc);
    private static readonly ReportCalendar Monthly = new(ReportFrequency.Monthly, new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31), 10, null, default);

    [Fact]
    public async Task Qa_1_6_TheFirstGeneration_ReadsTheContract_ThenHandsItsCalendarOn()
    {
        var harness = new OrchestrationHarness(Now).Activity<ReportPlan>();
        harness.Answer = (name, input) => name == nameof(PlanReportPeriod) ? Monthly.Plan(EngagementId, ((ReportingInput)input!).PeriodNumber) : true;

        await new ReportingWorkflow().RunAsync(harness.Object, new ReportingInput(EngagementId, 1));

        Assert.Equal([nameof(PlanReportPeriod), nameof(StartReportPeriod)], harness.ActivityNames);
        Assert.Equal(new ReportingInput(EngagementId, 2, Monthly), harness.ContinuedWith);
    }

    [Fact]
    public async Task Qa_1_6_ALaterGeneration_PlansFromItsCalendar_WithoutReadingTheContract()
    {
        var harness = new OrchestrationHarness(Now).Activity<ReportPlan>();

        await new ReportingWorkflow().RunAsync(harness.Object, new ReportingInput(EngagementId, 2, Monthly));

        (string name, object? input, _) = Assert.Single(harness.Activities);
        Assert.Equal(nameof(StartReportPeriod), name);
        Assert.Equal(new ReportPeriodInput(EngagementId, 2), input);
        // February's request goes out at 00:00 JST on March 1st.
        Assert.Equal([new DateTime(2027, 2, 28, 15, 0, 0, DateTimeKind.Utc)], harness.Timers);
        Assert.Equal(new ReportingInput(EngagementId, 3, Monthly), harness.ContinuedWith);
    }

    [Fact]
    public async Task Qa_1_6_TheScheduleEnds_WhenItsCalendarHasNoFurtherPeriod()
    {
        var harness = new OrchestrationHarness(Now).Activity<ReportPlan>();

        string result = await new ReportingWorkflow().RunAsync(harness.Object, new ReportingInput(EngagementId, 4, Monthly));

        Assert.Equal("done after period 3", result);
        Assert.Empty(harness.Activities);
        Assert.Empty(harness.Timers);
        Assert.Null(harness.ContinuedWith);
    }
}
