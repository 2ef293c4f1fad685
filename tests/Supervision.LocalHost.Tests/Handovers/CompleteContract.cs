using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Contracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.LocalHost.Tests.Http;

namespace Supervision.LocalHost.Tests.Handovers;

/// <summary>
/// Puts an engagement's contract into a chosen state straight through the store, so the handover gate can be tested
/// without going through the contract stage.
/// </summary>
internal static class CompleteContract
{
    public const string SignedContractEvidenceId = "ev-signed-contract";

    public static HandoverTerms Terms() => new()
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

    /// <summary>Every clause confirmed, complete terms, the split agreed, the signed contract uploaded.</summary>
    public static Task ApplyAsync(RunningLocalHost host, string engagementId) =>
        SetAsync(host, engagementId, ContractClauses.All, Terms(), splitAgreed: true, SignedContractEvidenceId);

    /// <summary>Marks the engagement active straight through the store, as its workflow does once the contract is complete.</summary>
    public static Task ActivateAsync(RunningLocalHost host, string engagementId) =>
        host.Services.GetRequiredService<EngagementStore>().UpdateAsync(engagementId, record =>
        {
            record.Stage = nameof(Domain.Engagements.EngagementStage.Active);
            return true;
        }, CancellationToken.None);

    public static async Task SetAsync(
        RunningLocalHost host,
        string engagementId,
        IEnumerable<ContractClause> clauses,
        HandoverTerms? terms,
        bool splitAgreed,
        string? signedContractEvidenceId)
    {
        EngagementStore store = host.Services.GetRequiredService<EngagementStore>();
        ContractClause[] confirmed = [.. clauses];
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await store.UpdateAsync(engagementId, record =>
        {
            record.SetClauses(confirmed);
            record.HandoverTerms = terms is null ? null : JsonSerializer.Serialize(terms, ApiJson.Options);
            record.ResponsibilitySplitAgreedAt = splitAgreed ? now : null;
            record.ResponsibilitySplitAgreedBy = splitAgreed ? "link-test" : null;
            record.SignedContractEvidenceId = signedContractEvidenceId;
            record.ContractStartsOn = "2027-01-01";
            record.ContractEndsOn = "2027-12-31";
            return true;
        }, CancellationToken.None);
    }
}
