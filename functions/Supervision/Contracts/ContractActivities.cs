using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Vendors;
using Supervision.Evidence;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Contracts;

/// <summary>The contract request to open; the workflow chooses its id so a retried activity opens it once.</summary>
public sealed record ContractRequestInput(string EngagementId, string RequestId);

/// <summary>A contract request the contractor submitted, through which link.</summary>
public sealed record ContractSubmission(string EngagementId, string RequestId, string LinkId);

/// <summary>Whether the contract is complete after a change: every clause, the terms, the agreed split, the signed copy.</summary>
public sealed record ContractProgress(bool ContractorPartDone, bool Complete);

/// <summary>Raised by staff when their change completed the contract (or to repair a workflow that missed it).</summary>
public sealed record ContractCompleted(string By);

/// <summary>What the contract stage asks the contractor: the signed contract and its agreement to the split of responsibility (2-2).</summary>
public static class ContractRequest
{
    public const string Kind = "contract";
    public const string SplitAgreedQuestion = "responsibilitySplitAgreed";
    public const string SignedOnQuestion = "signedOn";

    public static IReadOnlyList<Question> Questions { get; } =
    [
        new(
            SplitAgreedQuestion,
            "契約書の「委託元及び委託先の責任に関する事項」に定める責任分担に、貴社として同意しますか。",
            "Does your company agree to the split of responsibility set out in the contract's clause on the responsibilities of the principal and the contractor?",
            QuestionKind.YesNo),
        new(SignedOnQuestion, "契約書の締結日", "The date the contract was signed", QuestionKind.Date),
    ];

    public static NewVendorRequest For(ContractRequestInput input, Language language, DateTimeOffset dueAt) => new(
        input.EngagementId,
        Kind,
        "署名済み契約書の提出と責任分担への同意",
        "Signed contract and agreement to the split of responsibility",
        Questions,
        [language == Language.Ja ? "双方が署名した契約書（PDF）" : "The contract signed by both sides (PDF)"],
        language,
        dueAt,
        WaitingInstanceId: input.EngagementId,
        CompletionEvent: nameof(VendorRequestFulfilled),
        RequestId: input.RequestId);
}

/// <summary>Opens the contract request and mails its link, once; records it on the engagement so its state shows what is awaited.</summary>
public sealed class OpenContractRequest(EngagementStore store, RequestMail mail, TimeProvider time) : TaskActivity<ContractRequestInput, OpenedRequest>
{
    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, ContractRequestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        (EngagementRecord engagement, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        OpenedRequest opened = await mail.OpenAndMailAsync(ContractRequest.For(input, onboarding.Contact.PreferredLanguage, time.GetUtcNow() + mail.Options.AnswerWithin), engagement);
        await store.UpdateAsync(input.EngagementId, row =>
        {
            if (row.ContractRequestId == input.RequestId)
                return false;
            row.ContractRequestId = input.RequestId;
            row.ContractDueAt = new DateTimeOffset(opened.DueAt, TimeSpan.Zero);
            return true;
        }, CancellationToken.None);
        return opened;
    }
}

/// <summary>
/// Records what the contractor submitted for the contract request: its agreement to the split of responsibility and the
/// signed contract it uploaded. Idempotent: the same submission records the same facts once.
/// </summary>
public sealed class RecordContractSubmission(EngagementStore store, EvidenceStore evidence, AuditLog audit, TimeProvider time, ILogger<RecordContractSubmission> logger)
    : TaskActivity<ContractSubmission, ContractProgress>
{
    public override async Task<ContractProgress> RunAsync(TaskActivityContext context, ContractSubmission input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string engagementId = input.EngagementId;
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, engagementId, input.RequestId, CancellationToken.None);
        bool agreed = submission.Answer(ContractRequest.SplitAgreedQuestion) == "yes";
        string? signedContract = submission.Uploads.Count == 0 ? null : submission.Uploads[^1].EvidenceId;
        DateTimeOffset now = time.GetUtcNow();

        // The facts with the entry that records the submission, in one transaction.
        var submitted = new TrailEntry(
            AuditActors.VendorLink(input.LinkId),
            AuditActions.ContractSubmitted,
            new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                ["responsibilitySplitAgreed"] = agreed ? "yes" : "no",
                ["signedContractEvidenceId"] = signedContract ?? string.Empty,
                ["signedOn"] = submission.Answer(ContractRequest.SignedOnQuestion) ?? string.Empty,
            },
            $"contract.{input.RequestId}.submitted");
        EngagementRecord record = await store.UpdateAsync(audit, engagementId, row =>
        {
            bool changed = false;
            if (agreed && row.ResponsibilitySplitAgreedAt is null)
            {
                row.ResponsibilitySplitAgreedAt = now;
                row.ResponsibilitySplitAgreedBy = input.LinkId;
                changed = true;
            }

            if (signedContract is not null && row.SignedContractEvidenceId != signedContract)
            {
                row.SignedContractEvidenceId = signedContract;
                changed = true;
            }

            return changed;
        }, _ => submitted);

        bool contractorPartDone = record.ResponsibilitySplitAgreedAt is not null && record.SignedContractEvidenceId is not null;
        if (!contractorPartDone)
        {
            logger.LogWarning("Engagement {EngagementId}: contract request {RequestId} submitted without {Missing}",
                engagementId, input.RequestId, string.Join(", ", record.Gate().Missing.Where(gap => HandoverGate.OwedBy(gap) == ContractParty.Contractor).Select(gap => gap.Code)));
        }

        return new ContractProgress(contractorPartDone, record.Gate().IsOpen);
    }
}

/// <summary>Records when the contract became complete, once, with what it was completed on.</summary>
public sealed class CompleteContract(EngagementStore store, AuditLog audit, TimeProvider time) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string engagementId)
    {
        DateTimeOffset now = time.GetUtcNow();
        TrailEntry? Completed(EngagementRecord row) => row.ContractCompletedAt is not { } completedAt ? null : new TrailEntry(
            AuditActors.System,
            AuditActions.ContractCompleted,
            new Dictionary<string, string>
            {
                ["clauses"] = row.ConfirmedClauses ?? string.Empty,
                ["signedContractEvidenceId"] = row.SignedContractEvidenceId ?? string.Empty,
                ["startsOn"] = row.ContractStartsOn ?? string.Empty,
                ["endsOn"] = row.ContractEndsOn ?? string.Empty,
                ["completedAt"] = completedAt.ToString("O", CultureInfo.InvariantCulture),
            },
            AuditActions.ContractCompleted);
        EngagementRecord record = await store.UpdateAsync(audit, engagementId, row =>
        {
            if (row.ContractCompletedAt is not null || !row.Gate().IsOpen)
                return false;
            row.ContractCompletedAt = now;
            return true;
        }, Completed);
        return record.ContractCompletedAt is not null;
    }
}

/// <summary>A change of the engagement's row committed with the trail entry that records it (<see cref="TrailedRows.UpdateAsync{T}"/>).</summary>
internal static class ContractChanges
{
    public static async Task<EngagementRecord> UpdateAsync(
        this EngagementStore store, AuditLog audit, string engagementId, Func<EngagementRecord, bool> change, Func<EngagementRecord, TrailEntry?> entry) =>
        await audit.UpdateAsync(token => store.GetAsync(engagementId, token), change, entry, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");
}
