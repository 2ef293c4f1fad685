using Supervision.Domain.Common;
using Supervision.Domain.Inspections;

namespace Supervision.Domain.Tests.Inspections;

public sealed class InspectionRulesTests
{
    private static readonly DateOnly Today = new(2027, 9, 1);

    private static readonly Inspection Scheduled = new(InspectionKind.Scheduled, new DateOnly(2027, 9, 20), "入力センターの媒体管理と入退室記録", "佐藤 花子");

    private static string[] Fields(ValidationErrors errors) => [.. errors.ToDictionary().Keys.Order(StringComparer.Ordinal)];

    private static TrackedAction Open(DateOnly dueOn) => new(new CorrectiveAction("入退室記録の保存", "山田 太郎", dueOn), Today);

    private static TrackedAction Closed(DateOnly dueOn) =>
        Open(dueOn) with { Closure = new ActionClosure(Today, "保存期間を1年に変更", ["evidence-1"]) };

    [Fact]
    public void Qa_1_6_ScheduledInspection_IsPlannedForTodayOrLater()
    {
        Assert.Empty(Fields(InspectionRules.Validate(Scheduled, Today)));
        Assert.Empty(Fields(InspectionRules.Validate(Scheduled with { On = Today }, Today)));
    }

    [Fact]
    public void Qa_1_6_ScheduledInspection_InThePast_IsRefused()
    {
        string[] message = InspectionRules.Validate(Scheduled with { On = Today.AddDays(-1) }, Today).ToDictionary()["on"];

        Assert.Contains("announced in advance", Assert.Single(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_1_6_UnannouncedInspection_IsRecordedAfterTheFact()
    {
        var unannounced = Scheduled with { Kind = InspectionKind.Unannounced, On = Today.AddDays(-2) };

        Assert.Empty(Fields(InspectionRules.Validate(unannounced, Today)));
        Assert.Empty(Fields(InspectionRules.Validate(unannounced with { On = Today }, Today)));
        Assert.Equal(["on"], Fields(InspectionRules.Validate(unannounced with { On = Today.AddDays(1) }, Today)));
    }

    [Fact]
    public void Qa_1_6_ScopeAndInspector_AreRequired()
    {
        Assert.Equal(["inspector", "scope"], Fields(InspectionRules.Validate(Scheduled with { Scope = " ", Inspector = "" }, Today)));
    }

    [Fact]
    public void UnknownKind_IsRefused()
    {
        Assert.Equal(["kind"], Fields(InspectionRules.Validate(Scheduled with { Kind = (InspectionKind)9 }, Today)));
    }

    [Fact]
    public void Qa_1_6_Findings_AreRecordedOnlyOnceTheInspectionHasTakenPlace()
    {
        Finding[] findings = [new("入退室記録が3か月分しか残っていない", FindingSeverity.Major)];

        Assert.Equal(["findings"], Fields(InspectionRules.ValidateFindings(Scheduled, findings, Today)));
        Assert.Empty(Fields(InspectionRules.ValidateFindings(Scheduled, findings, Scheduled.On)));
    }

    [Fact]
    public void Qa_1_6_EachFinding_NeedsADescription_AndAKnownSeverity()
    {
        Finding[] findings = [new("ok", FindingSeverity.Minor), new(" ", FindingSeverity.Critical), new("x", (FindingSeverity)7)];

        Assert.Equal(
            ["findings[1].description", "findings[2].severity"],
            Fields(InspectionRules.ValidateFindings(Scheduled with { On = Today }, findings, Today)));
    }

    [Fact]
    public void Qa_1_6_NoFindings_IsAValidRecord_AndClosesAtOnce()
    {
        Assert.Empty(Fields(InspectionRules.ValidateFindings(Scheduled with { On = Today }, [], Today)));
        Assert.True(InspectionRules.CanClose([]));
    }

    [Fact]
    public void Qa_1_6_Inspection_ClosesOnlyWhenEveryActionIsClosed()
    {
        TrackedAction[] actions = [Closed(Today.AddDays(7)), Open(Today.AddDays(30)), Closed(Today.AddDays(90))];

        Assert.Equal(["actions[1]"], Fields(InspectionRules.ValidateClose(actions)));
        Assert.False(InspectionRules.CanClose(actions));
        Assert.True(InspectionRules.CanClose([Closed(Today.AddDays(7)), Closed(Today.AddDays(30))]));
    }
}
