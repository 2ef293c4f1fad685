using Supervision.Domain.Contracts;

namespace Supervision.Domain.Tests.Contracts;

public sealed class ContractClauseTests
{
    [Fact]
    public void Qa_2_1_ThereAreElevenClauses()
    {
        Assert.Equal(11, ContractClauses.All.Count);
    }

    [Theory]
    [InlineData(ContractClause.NoUseBeyondPurpose, "個人情報の目的外利用の禁止")]
    [InlineData(ContractClause.NoThirdPartyProvision, "個人情報の第三者提供の禁止")]
    [InlineData(ContractClause.ResponsibilitiesOfBothSides, "委託元及び委託先の責任に関する事項")]
    [InlineData(ContractClause.SafetyManagementMeasures, "個人情報の安全管理に関する事項")]
    [InlineData(ContractClause.Subcontracting, "再委託に関する事項")]
    [InlineData(ContractClause.Confidentiality, "秘密保持に関する事項")]
    [InlineData(ContractClause.StaffTraining, "従業者への教育に関する事項")]
    [InlineData(ContractClause.ReportContentAndFrequency, "個人情報の取扱い状況に関する委託元への報告内容及び頻度に関する事項")]
    [InlineData(ContractClause.ComplianceVerification, "契約内容が遵守されていることの確認方法")]
    [InlineData(ContractClause.MeasuresOnNonCompliance, "契約内容が遵守されていなかった場合の措置")]
    [InlineData(ContractClause.LeakReporting, "個人情報の漏えい等が発生した場合の報告及び連絡に関する事項")]
    public void Qa_2_1_EachClause_IsTitledAs2_1WordsIt(ContractClause clause, string titleJa)
    {
        Assert.Equal(titleJa, clause.TitleJa());
    }

    [Fact]
    public void EveryClause_HasADistinctEnglishTitle()
    {
        Assert.Equal(11, ContractClauses.All.Select(clause => clause.TitleEn()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("How compliance with the contract is checked", ContractClause.ComplianceVerification.TitleEn());
    }

    [Fact]
    public void Titles_ThrowForAnUnknownClause()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ContractClause)99).TitleJa());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ContractClause)99).TitleEn());
    }

    [Fact]
    public void Qa_2_1_Missing_ListsEveryClause_WhenNoneIsConfirmed_In2_1Order()
    {
        IReadOnlyList<ContractClause> missing = ClauseChecklist.Missing(new HashSet<ContractClause>());

        Assert.Equal(ContractClause.NoUseBeyondPurpose, missing[0]);
        Assert.Equal(ContractClause.LeakReporting, missing[^1]);
        Assert.Equal(11, missing.Count);
    }

    [Fact]
    public void Qa_2_1_Missing_ListsOnlyTheUnconfirmed()
    {
        var confirmed = new HashSet<ContractClause>(ContractClauses.All);
        confirmed.Remove(ContractClause.Subcontracting);
        confirmed.Remove(ContractClause.LeakReporting);

        Assert.Equal([ContractClause.Subcontracting, ContractClause.LeakReporting], ClauseChecklist.Missing(confirmed));
    }

    [Fact]
    public void Missing_IsEmpty_WhenEveryClauseIsConfirmed()
    {
        Assert.Empty(ClauseChecklist.Missing(new HashSet<ContractClause>(ContractClauses.All)));
    }
}
