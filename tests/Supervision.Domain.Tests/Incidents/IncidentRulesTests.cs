using Supervision.Domain.Incidents;

namespace Supervision.Domain.Tests.Incidents;

public sealed class IncidentRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 2, 12, 0, 0, TimeSpan.FromHours(9));
    private static readonly string[] Items = ["氏名", "住所", "電話番号"];

    private static IncidentDraft Draft() => new()
    {
        Kind = IncidentKind.Misdelivery,
        Description = "A DM batch went to the wrong shop; the recipient telephoned.",
        HappenedAt = Now.AddDays(-1),
        LearnedAt = Now.AddHours(-3),
        DataItems = ["氏名", "住所"],
        PeopleAffected = 120,
        Carrier = "日本郵便",
        SensitiveData = false,
        FinancialDamagePossible = false,
        WrongfulPurposePossible = false,
        StronglyEncrypted = false,
    };

    [Fact]
    public void Qa_6_1_AComplete_PlausibleReport_ReadsAsFacts_NamingACarrierByNameOnly()
    {
        Assert.True(IncidentRules.Read(Draft(), Items, Now, out IncidentFacts? facts).IsEmpty);
        Assert.Equal("日本郵便", facts!.Carrier);
        Assert.Equal("contractor", facts.Tier);
    }

    [Theory]
    [InlineData("happenedAt")]
    [InlineData("learnedAt")]
    [InlineData("peopleAffected")]
    [InlineData("dataItems")]
    public void ABadReport_IsRefused_NamingTheField(string field)
    {
        IncidentDraft draft = field switch
        {
            "happenedAt" => Draft() with { HappenedAt = Now.AddMinutes(1) },
            "learnedAt" => Draft() with { LearnedAt = Now.AddDays(-2) },
            "peopleAffected" => Draft() with { PeopleAffected = 0 },
            _ => Draft() with { DataItems = ["氏名", "口座番号"] },
        };

        var errors = IncidentRules.Read(draft, Items, Now, out IncidentFacts? facts);

        Assert.Null(facts);
        Assert.Equal([field], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Qa_6_1_AnIncidentCloses_OnlyWhenEveryStepIsDoneOrNotApplicable_AndEveryReportSent()
    {
        var report = new ReportState(IncidentReportKind.Preliminary, new DateOnly(2027, 3, 5), Now, null, null, null);
        IReadOnlyList<StepState> open = ResponseChecklist.Opened();
        StepState[] finished = [.. open.Select(step => step with { Status = step.Step == ResponseStep.Publication ? StepStatus.NotApplicable : StepStatus.Done })];

        Assert.Equal(8, ResponseChecklist.Missing(open, [report], judgementConfirmed: false, false, false).Count);
        Assert.Equal(["report Preliminary: not sent (due 2027-03-05)"], ResponseChecklist.Missing(finished, [report], judgementConfirmed: true, false, false));
        Assert.Empty(ResponseChecklist.Missing(finished, [report with { SentAt = Now }], judgementConfirmed: true, false, false));
    }

    [Fact]
    public void Qa_7_1_Publication_ForAClientsData_NeedsTheClientsAgreement()
    {
        StepState[] done = [.. ResponseChecklist.Opened().Select(step => step with { Status = StepStatus.Done })];

        Assert.Equal(["publication: the client's agreement is not recorded (7-1)"], ResponseChecklist.Missing(done, [], true, heldForClient: true, clientAgreedToPublication: false));
        Assert.Empty(ResponseChecklist.Missing(done, [], true, heldForClient: true, clientAgreedToPublication: true));
    }
}

public sealed class PreventionCheckTests
{
    [Fact]
    public void Qa_7_4_ACheckAnsweredYesThroughout_IsClean()
    {
        Dictionary<string, string?> answers = PreventionCheck.Questions.ToDictionary(question => question.Id, _ => (string?)"yes");

        Assert.Empty(PreventionCheck.Findings(answers));
    }

    [Fact]
    public void Qa_7_4_FileSharingOnAHomePc_OrAnUnansweredQuestion_IsAFinding()
    {
        Dictionary<string, string?> answers = PreventionCheck.Questions.ToDictionary(question => question.Id, _ => (string?)"yes");
        answers[PreventionCheck.HomePcs] = "no";
        answers.Remove(PreventionCheck.Infection);

        Assert.Equal([PreventionCheck.HomePcs, PreventionCheck.Infection], PreventionCheck.Findings(answers));
    }
}

public sealed class IncidentCoordinationTests
{
    [Fact]
    public void Qa_6_2_OneVoice_NamesTheOtherPrincipals_WhoContactsTheCustomers_AndOneContactPoint()
    {
        var errors = IncidentCoordinationRules.Read(
            new IncidentCoordinationDraft { OtherPrincipals = ["西日本モバイル", " 西日本モバイル "], ContactingParty = "東日本テレコム", ContactPoint = "0120-000-000" },
            out IncidentCoordination? coordination);

        Assert.True(errors.IsEmpty);
        Assert.Equal(["西日本モバイル"], coordination!.OtherPrincipals);
    }

    [Fact]
    public void Qa_6_2_ACoordinationWithoutAContactPoint_IsRefused()
    {
        var errors = IncidentCoordinationRules.Read(new IncidentCoordinationDraft { OtherPrincipals = ["西日本モバイル"], ContactingParty = "東日本テレコム" }, out _);

        Assert.Equal(["contactPoint"], errors.ToDictionary().Keys);
    }
}
