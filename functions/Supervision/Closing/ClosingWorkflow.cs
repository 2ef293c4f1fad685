using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Closing;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Closing;

/// <summary>
/// Input of <see cref="ClosingWorkflow"/>: the whole engagement at its end, or one <paramref name="Tier"/> and the tiers
/// below it when that tier is suspended or revoked (3-2: the end-of-work return of that tier alone).
/// </summary>
public sealed record ClosingInput(string EngagementId, string? Tier = null)
{
    public static string InstanceId(string engagementId, string? tier = null) => tier is null ? $"{engagementId}-closing" : $"{engagementId}-closing-{tier}";
}

public sealed record ReturnRequestInput(string EngagementId, string Tier, int Attempt, string RequestId, string WaitingInstanceId);

public sealed record ReturnAnswer(string EngagementId, string Tier, string RequestId, string LinkId);

/// <summary>
/// The end of an engagement (2-4, 7-2): every tier that holds data is asked, by its own link, to return or erase all of it
/// and certify it — the deepest tier first, so no tier certifies while data is still out below it. Each request is
/// chased like every other; an answer that does not cover the ledger is refused with its reasons and asked again.
/// </summary>
public sealed class ClosingWorkflow : TaskOrchestrator<ClosingInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, ClosingInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        IReadOnlyList<string> tiers = await context.CallActivityAsync<IReadOnlyList<string>>(nameof(PlanReturns), input, ActivityRetry.Options);
        foreach (string tier in tiers)
        {
            for (int attempt = 1; ; attempt++)
            {
                string requestId = RequestIds.Derive(context.InstanceId, $"{tier}.{attempt.ToString(CultureInfo.InvariantCulture)}");
                OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(
                    nameof(OpenReturnRequest), new ReturnRequestInput(input.EngagementId, tier, attempt, requestId, context.InstanceId), ActivityRetry.Options);
                VendorRequestFulfilled answered = await RequestChase.UntilFulfilledAsync(context, opened);
                if (await context.CallActivityAsync<bool>(nameof(RecordReturnCertificate), new ReturnAnswer(input.EngagementId, tier, answered.RequestId, answered.LinkId), ActivityRetry.Options))
                    break;
            }
        }

        return "certified";
    }
}

/// <summary>
/// The tiers that owe anything, in the order they are asked: the deepest first, those not yet certified; for one tier's
/// return, only it and the tiers below it.
/// </summary>
public sealed class PlanReturns(ClosingStore store) : TaskActivity<ClosingInput, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, ClosingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        (IReadOnlyList<TierReturn> owed, _, IReadOnlyList<TierRecord> chain) = await store.OwedAsync(input.EngagementId, CancellationToken.None);
        HashSet<string> certified = [.. (await store.ListCertificatesAsync(input.EngagementId, CancellationToken.None)).Select(row => row.Tier)];
        HashSet<string>? subtree = input.Tier is { } top ? [.. chain.Where(tier => tier.Path.Split('/').Contains(top)).Select(tier => tier.TierId)] : null;
        return [.. Returns.BottomUp(owed).Where(tier => !certified.Contains(tier.Tier) && (subtree is null || subtree.Contains(tier.Tier))).Select(tier => tier.Tier)];
    }
}

/// <summary>Opens the end-of-work return of one tier and the tiers below it (<see cref="ITierReturns"/>).</summary>
public sealed class TierReturns : ITierReturns
{
    public Task OpenAsync(string engagementId, string tierId, DurableTaskClient durable, CancellationToken cancellationToken) =>
        DurableStarts.StartOnceAsync(durable, nameof(ClosingWorkflow), new ClosingInput(engagementId, tierId), ClosingInput.InstanceId(engagementId, tierId), cancellationToken);
}

/// <summary>Asks one tier, by its own link, to return or erase each item it holds (one question per holding), once.</summary>
public sealed class OpenReturnRequest(ClosingStore store, TierStore tiers, RequestMail mail) : TaskActivity<ReturnRequestInput, OpenedRequest>
{
    public const string RequestKind = "return-or-erase";
    public const string DispositionQuestion = "return.disposition";
    public const string MethodQuestion = "return.method";
    public const string PerformedOnQuestion = "return.performed-on";
    public const string PerformedByQuestion = "return.performed-by";

    public static string ItemQuestion(int index) => $"item.{index.ToString(CultureInfo.InvariantCulture)}";

    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, ReturnRequestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        (IReadOnlyList<TierReturn> owed, _, _) = await store.OwedAsync(input.EngagementId, CancellationToken.None);
        TierReturn tier = owed.Single(candidate => candidate.Tier == input.Tier);
        (EngagementRecord engagement, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        TierRecord? row = input.Tier == Tiers.Contractor ? null : await tiers.GetAsync(input.EngagementId, input.Tier, CancellationToken.None);
        Language language = row is null ? onboarding.Contact.PreferredLanguage : Languages.TryParse(row.Language, out Language parsed) ? parsed : Language.Ja;
        Question[] questions =
        [
            new(DispositionQuestion, "返却（returned）または消去（erased）", "Returned or erased (returned / erased)", QuestionKind.Text),
            new(MethodQuestion, "方法（返却：配送方法と追跡番号／消去：上書き・物理破壊・暗号消去）", "How (return: carrier and tracking number; erasure: overwrite, physical destruction, cryptographic erase)", QuestionKind.Text),
            new(PerformedOnQuestion, "実施日", "Date done", QuestionKind.Date),
            new(PerformedByQuestion, "実施者", "Done by", QuestionKind.Text),
            .. tier.Owed.Select((holding, index) => new Question(
                ItemQuestion(index),
                $"「{holding.DataItem}」（{holding.Records.ToString("N0", CultureInfo.InvariantCulture)}件）をすべて返却または消去しましたか",
                $"Have you returned or erased all {holding.Records.ToString("N0", CultureInfo.InvariantCulture)} records of \"{holding.DataItem}\"?",
                QuestionKind.YesNo)),
        ];
        return await mail.OpenAndMailAsync(
            new NewVendorRequest(
                input.EngagementId,
                RequestKind,
                "委託終了に伴う個人情報の返却・消去の証明",
                "Return or erasure of personal data at the end of the work",
                questions,
                [language == Language.Ja ? "消去証明書（消去の場合）、または返却の受領書" : "Certificate of deletion (for an erasure), or the receipt of the return"],
                language,
                WaitingInstanceId: input.WaitingInstanceId,
                CompletionEvent: nameof(VendorRequestFulfilled),
                Recipient: row is null ? null : new MailAddressee(row.ContactEmail, row.ContactName),
                RequestId: input.RequestId,
                Subject: input.Tier,
                RecipientOrganisation: row?.CompanyName,
                AskedAfterTheWorkEnds: true),
            engagement);
    }
}

/// <summary>
/// Checks a tier's answer against the ledger (<see cref="Returns.Check"/>) and records its certificate once, with its
/// evidence and its trail entry in one transaction; or records the refusal with its reasons, for the workflow to ask
/// again. Answers whether it was certified.
/// </summary>
public sealed class RecordReturnCertificate(ClosingStore store, EvidenceStore evidence, AuditLog audit, EventOutbox outbox, TimeProvider time) : TaskActivity<ReturnAnswer, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReturnAnswer input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Certified already: by this answer before a crash, or by the principal's witness in the tier's place (2-4).
        if (await store.GetCertificateAsync(input.EngagementId, input.Tier, CancellationToken.None) is not null)
            return true;
        (IReadOnlyList<TierReturn> owed, IReadOnlyList<HandoverRecord> ledger, _) = await store.OwedAsync(input.EngagementId, CancellationToken.None);
        TierReturn tier = owed.Single(candidate => candidate.Tier == input.Tier);
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        var errors = new ValidationErrors();
        if (!Enum.TryParse(submission.Answer(OpenReturnRequest.DispositionQuestion), ignoreCase: true, out Disposition disposition) || !Enum.IsDefined(disposition))
            errors.Add(OpenReturnRequest.DispositionQuestion, "must be \"returned\" or \"erased\".");
        DateOnly performedOn = DateOnly.TryParseExact(submission.Answer(OpenReturnRequest.PerformedOnQuestion), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly on) ? on : default;
        string[] certifiedItems = [.. tier.Owed.Where((_, index) => submission.Answer(OpenReturnRequest.ItemQuestion(index)) == "yes").Select(holding => holding.DataItem)];
        DateOnly lastHandover = ClosingStore.LastHandoverTo(ledger, input.Tier);
        var certificate = new ReturnCertificate(
            disposition,
            submission.Answer(OpenReturnRequest.MethodQuestion) ?? string.Empty,
            performedOn,
            submission.Answer(OpenReturnRequest.PerformedByQuestion) ?? string.Empty,
            certifiedItems,
            submission.Uploads.Count > 0);
        foreach ((string field, string[] messages) in Returns.Check(tier, certificate, lastHandover, JapanCalendar.DateAt(time.GetUtcNow())).ToDictionary())
            Array.ForEach(messages, message => errors.Add(field, message));

        string actor = AuditActors.VendorLink(input.LinkId);
        if (!errors.IsEmpty)
        {
            await audit.AppendAsync(
                input.EngagementId, actor, AuditActions.ReturnRefused,
                new Dictionary<string, string> { ["tier"] = input.Tier, ["requestId"] = input.RequestId, ["reasons"] = JsonSerializer.Serialize(errors.ToDictionary(), ApiJson.Options) },
                CancellationToken.None, entryKey: $"closing.{input.RequestId}.refused");
            return false;
        }

        string evidenceIds = string.Join(',', submission.Uploads.Select(upload => upload.EvidenceId));
        var record = new ReturnCertificateRecord
        {
            PartitionKey = input.EngagementId,
            RowKey = ReturnCertificateRecord.Key(input.Tier),
            RequestId = input.RequestId,
            Disposition = disposition.ToString(),
            Method = certificate.Method,
            PerformedOn = performedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PerformedBy = certificate.PerformedBy,
            Items = JsonSerializer.Serialize(tier.Owed, ApiJson.Options),
            EvidenceIds = evidenceIds,
            CertifiedBy = actor,
            CertifiedAt = time.GetUtcNow(),
        };
        var certified = new TrailEntry(
            actor,
            AuditActions.ReturnCertified,
            new Dictionary<string, string>
            {
                ["tier"] = input.Tier,
                ["requestId"] = record.RequestId,
                ["disposition"] = record.Disposition,
                ["performedOn"] = record.PerformedOn,
                ["items"] = string.Join(", ", record.ReadItems().Select(holding => $"{holding.DataItem} {holding.Records}")),
                ["evidenceIds"] = record.EvidenceIds,
            },
            $"closing.{input.Tier}.certified");
        // One write: the certificate and its trail entry. Refused, the tier was certified meanwhile (by the principal's
        // witness, whose entry has the same key) or by an earlier run of this one: certified either way.
        await outbox.CommitAsync(record, certified, CancellationToken.None, adding: true);
        return true;
    }
}
