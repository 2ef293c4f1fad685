using Supervision.Domain.Training;

namespace Supervision.Domain.Tests.Training;

public sealed class TrainingPlanTests
{
    private static readonly DateOnly Today = new(2027, 6, 1);

    private static readonly TrainingPlan Complete = new(
        ["個人情報の定義と委託元の取扱いルール", "持出禁止と媒体管理", "事故発生時の報告手順"],
        "集合研修（90分）と e-learning",
        "委託業務に従事する全従業員（派遣労働者を含む）",
        [new DateOnly(2027, 6, 15), new DateOnly(2027, 6, 22)],
        "研修後の確認テスト（80点以上で合格、不合格者は再受講）");

    private static string[] ErrorFields(TrainingPlan plan) =>
        [.. TrainingPlanRules.Validate(plan, Today).ToDictionary().Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Qa_5_1_CompletePlan_IsValid()
    {
        Assert.Empty(ErrorFields(Complete));
    }

    [Fact]
    public void Qa_5_1_EmptyPlan_NamesEverythingTheSourceAsksToConfirm()
    {
        Assert.Equal(
            ["audience", "format", "plannedDates", "resultCheck", "topics"],
            ErrorFields(new TrainingPlan([], " ", "", [], " ")));
    }

    [Fact]
    public void Qa_5_1_BlankTopic_IsNamedByIndex()
    {
        Assert.Equal(["topics[1]"], ErrorFields(Complete with { Topics = ["持出禁止", " "] }));
    }

    [Fact]
    public void Qa_5_1_AResultCheck_IsRequired()
    {
        Assert.Equal(["resultCheck"], ErrorFields(Complete with { ResultCheck = " " }));
    }

    [Fact]
    public void PlannedDates_MayBeToday_ButNotInThePast()
    {
        Assert.Empty(ErrorFields(Complete with { PlannedDates = [Today] }));
        Assert.Equal(["plannedDates[0]"], ErrorFields(Complete with { PlannedDates = [Today.AddDays(-1), Today] }));
    }

    [Fact]
    public void PlannedDates_MustNotRepeat()
    {
        Assert.Equal(["plannedDates[2]"], ErrorFields(Complete with { PlannedDates = [Today, Today.AddDays(7), Today] }));
    }

    [Fact]
    public void TooManyTopicsOrDates_AreRefused()
    {
        Assert.Equal(["topics"], ErrorFields(Complete with { Topics = [.. Enumerable.Repeat("topic", TrainingPlanRules.MaxTopics + 1)] }));
        Assert.Equal(
            ["plannedDates"],
            ErrorFields(Complete with { PlannedDates = [.. Enumerable.Range(0, TrainingPlanRules.MaxSessions + 1).Select(Today.AddDays)] }));
    }
}
