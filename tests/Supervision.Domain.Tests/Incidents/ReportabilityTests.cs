using Supervision.Domain.Incidents;

namespace Supervision.Domain.Tests.Incidents;

public sealed class ReportabilityTests
{
    private static readonly DateTimeOffset Happened = new(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(9));

    private static IncidentFacts Facts(
        int people = 10, bool sensitive = false, bool financial = false, bool wrongful = false, bool encrypted = false, bool secrecy = false) =>
        new(IncidentKind.Leak, "DM list sent to the wrong shop", Happened, Happened.AddHours(2), ["氏名"], people, "contractor", null, sensitive, financial, wrongful, encrypted, secrecy);

    [Theory]
    [InlineData(1, true, false, false, "sensitive-data")]
    [InlineData(1, false, true, false, "financial-damage")]
    [InlineData(1, false, false, true, "wrongful-purpose")]
    [InlineData(1001, false, false, false, "more-than-threshold")]
    public void Qa_6_1_ALeak_IsReportable_ForEachReasonAlone_TheFirstThreeEvenForOnePerson(int people, bool sensitive, bool financial, bool wrongful, string reason)
    {
        ReportabilityJudgement judgement = Reportability.Judge(Facts(people, sensitive, financial, wrongful), Reportability.Appi2022);

        Assert.True(judgement.Reportable);
        Assert.Equal([reason], judgement.Reasons);
        Assert.Equal("appi-2022.1", judgement.RulesVersion);
    }

    [Fact]
    public void Qa_6_1_AThousandPeople_WithNothingElse_IsNotReportable_OneMoreIs()
    {
        Assert.False(Reportability.Judge(Facts(1000), Reportability.Appi2022).Reportable);
        Assert.True(Reportability.Judge(Facts(1001), Reportability.Appi2022).Reportable);
    }

    [Fact]
    public void Qa_6_1_EveryReason_IsNamed_WhenSeveralApply()
    {
        ReportabilityJudgement judgement = Reportability.Judge(Facts(5000, sensitive: true, financial: true, wrongful: true), Reportability.Appi2022);

        Assert.Equal(["sensitive-data", "financial-damage", "wrongful-purpose", "more-than-threshold"], judgement.Reasons);
    }

    [Fact]
    public void Qa_6_1_StronglyEncryptedData_IsExempt_WhateverElse()
    {
        ReportabilityJudgement judgement = Reportability.Judge(Facts(50_000, sensitive: true, financial: true, wrongful: true, encrypted: true), Reportability.Appi2022);

        Assert.False(judgement.Reportable);
        Assert.Equal(["strongly-encrypted"], judgement.Reasons);
    }

    [Fact]
    public void Qa_7_1_ALeakOfSecrecyOfCommunications_OwesItsOwnReport_WhateverTheAppiJudgement()
    {
        ReportabilityJudgement judgement = Reportability.Judge(Facts(encrypted: true, secrecy: true), Reportability.Appi2022);

        Assert.False(judgement.Reportable);
        Assert.Equal(
            [IncidentReportKind.SecrecyOfCommunications],
            Reportability.Deadlines(Facts(encrypted: true, secrecy: true), judgement.Reportable, Happened, Reportability.Appi2022).Select(due => due.Kind));
        Assert.Equal(
            [IncidentReportKind.Preliminary, IncidentReportKind.Final, IncidentReportKind.SecrecyOfCommunications],
            Reportability.Deadlines(Facts(people: 5000, secrecy: true), reportable: true, Happened, Reportability.Appi2022).Select(due => due.Kind));
    }

    [Fact]
    public void Qa_6_1_Deadlines_CountJapanDays_FromTheDayThePrincipalLearned_AcrossAMonthEnd()
    {
        // 2027-01-31 01:00 in Japan is still 2027-01-30 in UTC.
        var learned = new DateTimeOffset(2027, 1, 30, 16, 0, 0, TimeSpan.Zero);

        IReadOnlyList<ReportDue> due = Reportability.Deadlines(Facts(), reportable: true, learned, Reportability.Appi2022);

        Assert.Equal([new DateOnly(2027, 2, 3), new DateOnly(2027, 3, 2)], due.Select(report => report.DueOn));
        Assert.Equal(new DateTimeOffset(2027, 2, 3, 15, 0, 0, TimeSpan.Zero), due[0].DueAt);
    }

    [Fact]
    public void Qa_6_1_AWrongfulPurpose_GivesTheFinalReportSixtyDays_AndAJapanDayEndsAtItsMidnight()
    {
        // 23:59 in Japan on 2027-03-31.
        var learned = new DateTimeOffset(2027, 3, 31, 14, 59, 0, TimeSpan.Zero);

        IReadOnlyList<ReportDue> due = Reportability.Deadlines(Facts(wrongful: true), reportable: true, learned, Reportability.Appi2022);

        Assert.Equal([new DateOnly(2027, 4, 3), new DateOnly(2027, 5, 30)], due.Select(report => report.DueOn));
    }

    [Fact]
    public void NothingReportable_OwesNoReport()
    {
        Assert.Empty(Reportability.Deadlines(Facts(), reportable: false, Happened, Reportability.Appi2022));
    }

    [Theory]
    [InlineData(24, 24, false)]
    [InlineData(25, 24, true)]
    [InlineData(72, 48, true)]
    public void Qa_6_3_ANoticeLaterThanTheContractAllows_IsLate(int hoursAfter, int notifyWithinHours, bool late)
    {
        Assert.Equal(late, IncidentRules.NoticeWasLate(Happened, Happened.AddHours(hoursAfter), notifyWithinHours));
    }
}
