using Supervision.Domain.Training;

namespace Supervision.Domain.Tests.Training;

public sealed class TrainingResultTests
{
    private static readonly DateOnly Today = new(2027, 6, 30);

    private static readonly TrainingResult Complete = new(
        HeldOn: new DateOnly(2027, 6, 15),
        Content: "個人情報の取扱いルール、持出禁止、事故時の報告手順。確認テスト実施。",
        Attendance: 40,
        TestTakers: 38,
        TestPassed: 35,
        HasNamedRoster: false,
        RosterConsentConfirmed: false);

    private static IReadOnlyDictionary<string, string[]> Errors(TrainingResult result) => TrainingResultRules.Validate(result, Today).ToDictionary();

    private static string[] ErrorFields(TrainingResult result) => [.. Errors(result).Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Qa_5_1_CompleteResult_WithCountsOnly_IsValid()
    {
        Assert.Empty(ErrorFields(Complete));
    }

    [Fact]
    public void Qa_5_1_ResultWithoutATest_IsValid()
    {
        Assert.Empty(ErrorFields(Complete with { TestTakers = null, TestPassed = null }));
    }

    [Fact]
    public void Qa_5_2_NamedRoster_WithoutConfirmedConsent_IsRefused_OnTheRoster_CitingTheReason()
    {
        IReadOnlyDictionary<string, string[]> errors = Errors(Complete with { HasNamedRoster = true, RosterConsentConfirmed = false });

        string message = Assert.Single(Assert.Single(errors, pair => pair.Key == "hasNamedRoster").Value);
        Assert.Single(errors);
        Assert.Contains("consent", message, StringComparison.Ordinal);
        Assert.Contains("principal", message, StringComparison.Ordinal);
        Assert.Contains("(5-2)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_5_2_NamedRoster_WithConfirmedConsent_IsAccepted()
    {
        Assert.Empty(ErrorFields(Complete with { HasNamedRoster = true, RosterConsentConfirmed = true }));
    }

    [Fact]
    public void Qa_5_2_ConsentWithoutARoster_IsHarmless()
    {
        Assert.Empty(ErrorFields(Complete with { RosterConsentConfirmed = true }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(TrainingResultRules.MaxAttendance + 1)]
    public void Qa_5_1_Attendance_MustBePositive_AndSane(int attendance)
    {
        Assert.Equal(["attendance"], ErrorFields(Complete with { Attendance = attendance, TestTakers = null, TestPassed = null }));
    }

    [Fact]
    public void Qa_5_1_TestTakers_MustNotExceedAttendance()
    {
        Assert.Equal(["testTakers"], ErrorFields(Complete with { TestTakers = 41, TestPassed = 30 }));
        Assert.Empty(ErrorFields(Complete with { TestTakers = 40, TestPassed = 40 }));
    }

    [Fact]
    public void Qa_5_1_TestPassed_MustNotExceedTakers()
    {
        Assert.Equal(["testPassed"], ErrorFields(Complete with { TestPassed = 39 }));
    }

    [Fact]
    public void Qa_5_1_TestPassed_NeedsTheNumberOfTakers()
    {
        Assert.Equal(["testPassed"], ErrorFields(Complete with { TestTakers = null, TestPassed = 10 }));
    }

    [Fact]
    public void NegativeTestCounts_AreRefused()
    {
        Assert.Equal(["testPassed", "testTakers"], ErrorFields(Complete with { TestTakers = -1, TestPassed = -1 }));
    }

    [Fact]
    public void Qa_5_1_HeldOn_MayBeToday_ButNotInTheFuture()
    {
        Assert.Empty(ErrorFields(Complete with { HeldOn = Today }));
        Assert.Equal(["heldOn"], ErrorFields(Complete with { HeldOn = Today.AddDays(1) }));
    }

    [Fact]
    public void Qa_5_1_Content_IsRequired()
    {
        Assert.Equal(["content"], ErrorFields(Complete with { Content = " " }));
    }
}
