using Supervision.Domain.Contracts;

namespace Supervision.Domain.Tests.Contracts;

public sealed class HandoverTermsTests
{
    internal static HandoverTerms CompleteTerms() => new()
    {
        DataItems = ["氏名", "住所", "電話番号"],
        TransferMethod = TransferMethod.EncryptedTransfer,
        LedgersOnBothSides = true,
        PrincipalResponsible = new ResponsiblePerson("佐藤 花子", "個人情報管理責任者"),
        ContractorResponsible = new ResponsiblePerson("山田 太郎", "業務責任者"),
        LeakPreventionMeasures = "専用端末のみで取扱い、USB媒体は使用禁止",
        NoRemovalFromWorkSite = true,
        NoProcessingBeyondContract = true,
        EndOfWork = new EndOfWorkTerms(EndOfWorkMethod.Erasure, 14, CertificateRequired: true, WitnessedByPrincipal: false),
        Reporting = new ReportingTerms("取扱件数、アクセス記録の確認結果、事故の有無", ReportFrequency.Monthly),
        PrincipalMayAudit = true,
        Subcontracting = SubcontractPolicy.PriorApproval,
        MeasuresOnNonCompliance = "是正要求、改善されない場合は契約解除",
        IncidentReporting = new IncidentReportingTerms(24, "privacy-desk@example.co.jp"),
    };

    private static string[] ErrorFields(HandoverTerms terms) =>
        [.. HandoverTermsRules.Validate(terms).ToDictionary().Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void CompleteTerms_AreValid()
    {
        Assert.Empty(ErrorFields(CompleteTerms()));
    }

    [Fact]
    public void Qa_2_4_EmptyTerms_NameEveryMissingTerm()
    {
        Assert.Equal(
            [
                "contractorResponsible", "dataItems", "endOfWork", "incidentReporting", "leakPreventionMeasures", "ledgersOnBothSides",
                "measuresOnNonCompliance", "noProcessingBeyondContract", "noRemovalFromWorkSite", "principalMayAudit",
                "principalResponsible", "reporting", "subcontracting", "transferMethod",
            ],
            ErrorFields(new HandoverTerms()));
    }

    [Fact]
    public void Qa_2_4_DataItems_MustNameEachItem()
    {
        Assert.Equal(["dataItems"], ErrorFields(CompleteTerms() with { DataItems = ["氏名", " "] }));
    }

    [Fact]
    public void Qa_2_4_TransferMethod_IsRequired()
    {
        Assert.Equal(["transferMethod"], ErrorFields(CompleteTerms() with { TransferMethod = null }));
    }

    [Fact]
    public void Qa_2_4_ResponsiblePersons_NeedANameAndARole()
    {
        HandoverTerms terms = CompleteTerms() with { ContractorResponsible = new ResponsiblePerson("山田 太郎", "") };

        Assert.Equal(["contractorResponsible.role"], ErrorFields(terms));
    }

    [Fact]
    public void Qa_2_4_EndOfWork_MustBeProvedByCertificateOrWitness()
    {
        HandoverTerms unproved = CompleteTerms() with { EndOfWork = new EndOfWorkTerms(EndOfWorkMethod.Disposal, 14, false, false) };
        HandoverTerms witnessed = CompleteTerms() with { EndOfWork = new EndOfWorkTerms(EndOfWorkMethod.Disposal, 14, false, true) };

        Assert.Equal(["endOfWork.proof"], ErrorFields(unproved));
        Assert.Empty(ErrorFields(witnessed));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(90, true)]
    [InlineData(91, false)]
    public void Qa_2_4_EndOfWork_HasATimingWithin90Days(int days, bool valid)
    {
        HandoverTerms terms = CompleteTerms() with { EndOfWork = new EndOfWorkTerms(EndOfWorkMethod.Return, days, true, false) };

        Assert.Equal(valid ? [] : ["endOfWork.withinDaysAfterEnd"], ErrorFields(terms));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(24, true)]
    [InlineData(25, false)]
    [InlineData(72, false)]
    public void Qa_2_4_Incidents_AreReportedToThePrincipalWithinADay(int hours, bool valid)
    {
        HandoverTerms terms = CompleteTerms() with { IncidentReporting = new IncidentReportingTerms(hours, "desk") };

        Assert.Equal(valid ? [] : ["incidentReporting.notifyWithinHours"], ErrorFields(terms));
    }

    [Fact]
    public void Qa_2_4_Reporting_NeedsItsContent()
    {
        Assert.Equal(["reporting.content"], ErrorFields(CompleteTerms() with { Reporting = new ReportingTerms(" ", ReportFrequency.Quarterly) }));
    }

    [Fact]
    public void Qa_2_4_EachUndertaking_MustBeInTheContract()
    {
        Assert.Equal(["noRemovalFromWorkSite"], ErrorFields(CompleteTerms() with { NoRemovalFromWorkSite = false }));
        Assert.Equal(["noProcessingBeyondContract"], ErrorFields(CompleteTerms() with { NoProcessingBeyondContract = false }));
        Assert.Equal(["principalMayAudit"], ErrorFields(CompleteTerms() with { PrincipalMayAudit = false }));
        Assert.Equal(["ledgersOnBothSides"], ErrorFields(CompleteTerms() with { LedgersOnBothSides = false }));
    }

    [Fact]
    public void Qa_3_2_SubcontractPolicy_HasTheFiveAnswersOfTheSurvey()
    {
        Assert.Equal(
            [SubcontractPolicy.Prohibited, SubcontractPolicy.PriorApproval, SubcontractPolicy.ReportAfterTheFact, SubcontractPolicy.DelegatedUnderCriteria, SubcontractPolicy.Delegated],
            Enum.GetValues<SubcontractPolicy>());
    }

    [Fact]
    public void Qa_3_1_ProhibitedSubcontracting_IsAValidTerm()
    {
        Assert.Empty(ErrorFields(CompleteTerms() with { Subcontracting = SubcontractPolicy.Prohibited }));
    }
}
