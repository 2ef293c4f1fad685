using Supervision.Domain.Common;
using Supervision.Domain.Inspections;

namespace Supervision.Domain.Tests.Inspections;

public sealed class CorrectiveActionRulesTests
{
    private static readonly DateOnly FoundOn = new(2027, 9, 20);
    private static readonly CorrectiveAction Action = new("入退室記録を1年間保存する", "山田 太郎（業務責任者）", new DateOnly(2027, 10, 20));
    private static readonly TrackedAction Tracked = new(Action, FoundOn);
    private static readonly ActionClosure Closure = new(new DateOnly(2027, 10, 15), "保存設定を変更し、9月分から保存を確認", ["evid-7f3a", "evid-81c2"]);

    private static string[] Fields(ValidationErrors errors) => [.. errors.ToDictionary().Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData(FindingSeverity.Critical, 7)]
    [InlineData(FindingSeverity.Major, 30)]
    [InlineData(FindingSeverity.Minor, 90)]
    public void Qa_1_6_EachFinding_BecomesAnAction_DueBySeverity(FindingSeverity severity, int days)
    {
        CorrectiveAction action = CorrectiveActionRules.Raise(new Finding("施錠されていない書庫", severity), "山田 太郎", FoundOn);

        Assert.Equal(new CorrectiveAction("施錠されていない書庫", "山田 太郎", FoundOn.AddDays(days)), action);
        Assert.Empty(Fields(CorrectiveActionRules.Validate(action, FoundOn)));
    }

    [Fact]
    public void Qa_1_6_Action_NeedsADescriptionAndAnOwner()
    {
        Assert.Equal(["description", "owner"], Fields(CorrectiveActionRules.Validate(Action with { Description = " ", Owner = "" }, FoundOn)));
    }

    [Fact]
    public void Qa_1_6_Action_IsDueBetweenTheDayRaisedAndAYearLater()
    {
        Assert.Empty(Fields(CorrectiveActionRules.Validate(Action with { DueOn = FoundOn }, FoundOn)));
        Assert.Equal(["dueOn"], Fields(CorrectiveActionRules.Validate(Action with { DueOn = FoundOn.AddDays(-1) }, FoundOn)));
        Assert.Equal(["dueOn"], Fields(CorrectiveActionRules.Validate(Action with { DueOn = FoundOn.AddDays(CorrectiveActionRules.MaxDaysToCorrect + 1) }, FoundOn)));
    }

    [Fact]
    public void Qa_1_6_Closure_WithEvidenceAndANote_IsAccepted()
    {
        Assert.Empty(Fields(CorrectiveActionRules.ValidateClosure(Tracked, Closure, Closure.ClosedOn)));
    }

    [Fact]
    public void Qa_1_6_Closure_WithoutEvidence_IsRefused()
    {
        Assert.Equal(["evidenceIds"], Fields(CorrectiveActionRules.ValidateClosure(Tracked, Closure with { EvidenceIds = [] }, Closure.ClosedOn)));
        Assert.Equal(["evidenceIds[1]"], Fields(CorrectiveActionRules.ValidateClosure(Tracked, Closure with { EvidenceIds = ["evid-1", " "] }, Closure.ClosedOn)));
    }

    [Fact]
    public void Qa_1_6_Closure_WithoutANote_IsRefused()
    {
        Assert.Equal(["note"], Fields(CorrectiveActionRules.ValidateClosure(Tracked, Closure with { Note = " " }, Closure.ClosedOn)));
    }

    [Fact]
    public void Closure_IsDatedBetweenTheDayRaisedAndToday()
    {
        Assert.Equal(["closedOn"], Fields(CorrectiveActionRules.ValidateClosure(Tracked, Closure, Closure.ClosedOn.AddDays(-1))));
        Assert.Equal(["closedOn"], Fields(CorrectiveActionRules.ValidateClosure(Tracked, Closure with { ClosedOn = FoundOn.AddDays(-1) }, Closure.ClosedOn)));
        Assert.Empty(Fields(CorrectiveActionRules.ValidateClosure(Tracked, Closure with { ClosedOn = FoundOn }, FoundOn)));
    }

    [Fact]
    public void AClosedAction_CannotBeClosedAgain()
    {
        Assert.Equal(["closure"], Fields(CorrectiveActionRules.ValidateClosure(Tracked with { Closure = Closure }, Closure, Closure.ClosedOn)));
    }

    [Fact]
    public void Qa_1_6_OpenAction_IsNotOverdueOnItsDueDay_ButIsTheDayAfter()
    {
        Assert.False(CorrectiveActionRules.IsOverdue(Tracked, Action.DueOn));
        Assert.True(CorrectiveActionRules.IsOverdue(Tracked, Action.DueOn.AddDays(1)));
        Assert.Equal(12, CorrectiveActionRules.DaysOverdue(Tracked, Action.DueOn.AddDays(12)));
    }

    [Fact]
    public void Qa_1_6_ClosedAction_IsNeverOverdue()
    {
        TrackedAction closedLate = Tracked with { Closure = Closure with { ClosedOn = Action.DueOn.AddDays(3) } };

        Assert.False(CorrectiveActionRules.IsOverdue(closedLate, Action.DueOn.AddDays(30)));
        Assert.Equal(0, CorrectiveActionRules.DaysOverdue(closedLate, Action.DueOn.AddDays(30)));
    }
    [Fact]
    public void Qa_1_6_ContractorsReport_IsTaken_WithWhatWasDone_TheDayFinished_AndAnAcceptedFile()
    {
        var report = new ActionReport("書庫を施錠式に交換し、鍵の貸出記録を開始", new DateOnly(2027, 10, 1), 1);

        Assert.Empty(Fields(CorrectiveActionRules.ValidateReport(report, FoundOn, new DateOnly(2027, 10, 2))));
        Assert.Empty(Fields(CorrectiveActionRules.ValidateReport(report with { CompletedOn = FoundOn }, FoundOn, FoundOn)));
    }

    [Fact]
    public void Qa_1_6_ContractorsReport_IsRefused_WithoutAFileShowingTheCorrection()
    {
        var report = new ActionReport("書庫を施錠式に交換", new DateOnly(2027, 10, 1), 0);

        Assert.Equal(["evidence"], Fields(CorrectiveActionRules.ValidateReport(report, FoundOn, new DateOnly(2027, 10, 2))));
    }

    [Fact]
    public void Qa_1_6_ContractorsReport_IsRefused_WithoutWhatWasDone_OrADayFinishedWithinTheAction()
    {
        DateOnly today = new(2027, 10, 2);

        Assert.Equal(["completedOn", "work"], Fields(CorrectiveActionRules.ValidateReport(new ActionReport(" ", null, 2), FoundOn, today)));
        Assert.Equal(["completedOn"], Fields(CorrectiveActionRules.ValidateReport(new ActionReport("交換済み", FoundOn.AddDays(-1), 2), FoundOn, today)));
        Assert.Equal(["completedOn"], Fields(CorrectiveActionRules.ValidateReport(new ActionReport("交換済み", today.AddDays(1), 2), FoundOn, today)));
    }
}
