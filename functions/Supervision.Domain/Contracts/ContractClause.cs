namespace Supervision.Domain.Contracts;

/// <summary>The items 2-1 says a contract entrusting personal information should contain, in its order.</summary>
public enum ContractClause
{
    NoUseBeyondPurpose,
    NoThirdPartyProvision,
    ResponsibilitiesOfBothSides,
    SafetyManagementMeasures,
    Subcontracting,
    Confidentiality,
    StaffTraining,
    ReportContentAndFrequency,
    ComplianceVerification,
    MeasuresOnNonCompliance,
    LeakReporting,
}

public static class ContractClauses
{
    /// <summary>Every clause of 2-1, in its order.</summary>
    public static IReadOnlyList<ContractClause> All { get; } = Enum.GetValues<ContractClause>();

    /// <summary>The clause as 2-1 words it.</summary>
    public static string TitleJa(this ContractClause clause) => clause switch
    {
        ContractClause.NoUseBeyondPurpose => "個人情報の目的外利用の禁止",
        ContractClause.NoThirdPartyProvision => "個人情報の第三者提供の禁止",
        ContractClause.ResponsibilitiesOfBothSides => "委託元及び委託先の責任に関する事項",
        ContractClause.SafetyManagementMeasures => "個人情報の安全管理に関する事項",
        ContractClause.Subcontracting => "再委託に関する事項",
        ContractClause.Confidentiality => "秘密保持に関する事項",
        ContractClause.StaffTraining => "従業者への教育に関する事項",
        ContractClause.ReportContentAndFrequency => "個人情報の取扱い状況に関する委託元への報告内容及び頻度に関する事項",
        ContractClause.ComplianceVerification => "契約内容が遵守されていることの確認方法",
        ContractClause.MeasuresOnNonCompliance => "契約内容が遵守されていなかった場合の措置",
        ContractClause.LeakReporting => "個人情報の漏えい等が発生した場合の報告及び連絡に関する事項",
        _ => throw new ArgumentOutOfRangeException(nameof(clause), clause, null),
    };

    public static string TitleEn(this ContractClause clause) => clause switch
    {
        ContractClause.NoUseBeyondPurpose => "No use of personal information beyond the purpose",
        ContractClause.NoThirdPartyProvision => "No provision of personal information to third parties",
        ContractClause.ResponsibilitiesOfBothSides => "Responsibilities of the principal and the contractor",
        ContractClause.SafetyManagementMeasures => "Safety-management measures for personal information",
        ContractClause.Subcontracting => "Subcontracting",
        ContractClause.Confidentiality => "Confidentiality",
        ContractClause.StaffTraining => "Staff training",
        ContractClause.ReportContentAndFrequency => "Content and frequency of reports to the principal on the handling of personal information",
        ContractClause.ComplianceVerification => "How compliance with the contract is checked",
        ContractClause.MeasuresOnNonCompliance => "Measures when the contract is not complied with",
        ContractClause.LeakReporting => "Reporting and contact when a leak or similar incident occurs",
        _ => throw new ArgumentOutOfRangeException(nameof(clause), clause, null),
    };
}

public static class ClauseChecklist
{
    /// <summary>The clauses of 2-1 not yet confirmed in the contract, in 2-1's order.</summary>
    public static IReadOnlyList<ContractClause> Missing(IReadOnlySet<ContractClause> confirmed)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        return [.. ContractClauses.All.Where(clause => !confirmed.Contains(clause))];
    }
}
