using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Handovers;

/// <summary>Input of <see cref="HandoverWorkflow"/>; the instance id is <c>{engagementId}-handover-{handoverId}</c>.</summary>
public sealed record HandoverWorkflowInput(string EngagementId, string HandoverId);

public sealed record HandoverAcknowledgementInput(string EngagementId, string HandoverId, string RequestId, string WaitingInstanceId);

public sealed record HandoverAnswerInput(string EngagementId, string HandoverId, string RequestId);

/// <summary>
/// Both sides confirm each handover (2-4): the receiver is asked, through a signed link, whether the data arrived as the
/// ledger describes it and how many records it holds; chased like every request; the answer acknowledges or disputes the entry.
/// </summary>
public sealed class HandoverWorkflow : TaskOrchestrator<HandoverWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, HandoverWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<HandoverWorkflow>();
        string requestId = RequestIds.Derive(context.InstanceId, "acknowledgement");
        OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(
            nameof(OpenHandoverAcknowledgement),
            new HandoverAcknowledgementInput(input.EngagementId, input.HandoverId, requestId, context.InstanceId), ActivityRetry.Options);
        logger.LogInformation("Handover {HandoverId} of engagement {EngagementId} is waiting for acknowledgement {RequestId}", input.HandoverId, input.EngagementId, opened.RequestId);

        await RequestChase.UntilFulfilledAsync(context, opened);

        string status = await context.CallActivityAsync<string>(
            nameof(RecordHandoverAcknowledgement),
            new HandoverAnswerInput(input.EngagementId, input.HandoverId, opened.RequestId), ActivityRetry.Options);
        logger.LogInformation("Handover {HandoverId} of engagement {EngagementId}: {Status}", input.HandoverId, input.EngagementId, status);
        return status;
    }
}

/// <summary>
/// Opens the acknowledgement request (its id chosen by the workflow) addressed to the handover's receiver, mails its
/// link once, and records the request on the ledger row.
/// </summary>
public sealed class OpenHandoverAcknowledgement(HandoverStore store, RequestMail mail, TimeProvider time)
    : TaskActivity<HandoverAcknowledgementInput, OpenedRequest>
{
    public const string RequestKind = "handover-acknowledgement";
    public const string ReceivedQuestion = "handover.received-as-described";
    public const string CountQuestion = "handover.records-received";
    public const string RemarkQuestion = "handover.remark";

    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, HandoverAcknowledgementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        HandoverRecord handover = await store.GetHandoverAsync(input.EngagementId, input.HandoverId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Handover {input.HandoverId} does not exist.");
        (EngagementRecord engagement, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        string items = string.Join("、", JsonSerializer.Deserialize<string[]>(handover.DataItems, ApiJson.Options) ?? []);
        string count = handover.RecordCount.ToString("N0", CultureInfo.InvariantCulture);
        Question[] questions =
        [
            new(
                ReceivedQuestion,
                $"{handover.HandedOverOn}に{handover.SenderName}から、{items}（{count}件）を受領しましたか。",
                $"Did you receive {items} ({count} records) from {handover.SenderName} on {handover.HandedOverOn}, as described?",
                QuestionKind.YesNo),
            new(CountQuestion, "受領した件数", "Number of records received", QuestionKind.Text),
            new(RemarkQuestion, "備考（相違がある場合はその内容）", "Remarks (what differs, if anything)", QuestionKind.Text, Required: false),
        ];

        OpenedRequest opened = await mail.OpenAndMailAsync(new NewVendorRequest(
            input.EngagementId,
            RequestKind,
            "個人情報の受領確認",
            "Acknowledgement of receipt of personal data",
            questions,
            [],
            onboarding.Contact.PreferredLanguage,
            time.GetUtcNow() + mail.Options.AnswerWithin,
            WaitingInstanceId: input.WaitingInstanceId,
            CompletionEvent: nameof(VendorRequestFulfilled),
            Recipient: new MailAddressee(handover.ReceiverEmail, handover.ReceiverName),
            RequestId: input.RequestId,
            Subject: handover.ToTier), engagement);

        await store.UpdateAsync<HandoverRecord>(input.EngagementId, HandoverRecord.Key(input.HandoverId), row =>
        {
            if (row.AcknowledgementRequestId is not null)
                return false;
            row.AcknowledgementRequestId = input.RequestId;
            return true;
        }, CancellationToken.None);
        return opened;
    }
}

/// <summary>
/// Reads the receiver's answers (the latest <c>answers.json</c> of the request) and marks the entry acknowledged — received
/// as described and the count matches — or disputed, with its trail entry in one transaction. Idempotent: the entry is
/// decided once and the trail entry is keyed.
/// </summary>
public sealed class RecordHandoverAcknowledgement(HandoverStore store, EvidenceStore evidence, TimeProvider time, ILogger<RecordHandoverAcknowledgement> logger)
    : TaskActivity<HandoverAnswerInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, HandoverAnswerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        string? received = submission.Answer(OpenHandoverAcknowledgement.ReceivedQuestion);
        string? count = submission.Answer(OpenHandoverAcknowledgement.CountQuestion);
        string? remark = submission.Answer(OpenHandoverAcknowledgement.RemarkQuestion);

        TrailEntry Answered(HandoverRecord row) => new(
            AuditActors.System,
            row.Status == nameof(AcknowledgementStatus.Acknowledged) ? AuditActions.HandoverAcknowledged : AuditActions.HandoverDisputed,
            new Dictionary<string, string>
            {
                ["handoverId"] = input.HandoverId,
                ["requestId"] = input.RequestId,
                ["recordCount"] = row.RecordCount.ToString(CultureInfo.InvariantCulture),
                ["receivedAsDescribed"] = row.ReceivedAsDescribed ?? string.Empty,
                ["recordsReceived"] = row.RecordsReceived ?? string.Empty,
                ["remark"] = row.Remark ?? string.Empty,
            },
            $"handover.{input.HandoverId}.answered");
        HandoverRecord row = await store.UpdateAsync<HandoverRecord>(input.EngagementId, HandoverRecord.Key(input.HandoverId), row =>
        {
            if (row.Status != nameof(AcknowledgementStatus.Waiting))
                return false;
            bool countMatches = int.TryParse(count?.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
                && n == row.RecordCount;
            row.Status = received == "yes" && countMatches ? nameof(AcknowledgementStatus.Acknowledged) : nameof(AcknowledgementStatus.Disputed);
            row.AnsweredAt = time.GetUtcNow();
            row.ReceivedAsDescribed = received;
            row.RecordsReceived = count;
            row.Remark = string.IsNullOrEmpty(remark) ? null : remark;
            return true;
        }, Answered, CancellationToken.None) ?? throw new InvalidOperationException($"Handover {input.HandoverId} does not exist.");

        bool acknowledged = row.Status == nameof(AcknowledgementStatus.Acknowledged);
        if (!acknowledged)
            logger.LogWarning("Handover {HandoverId} of engagement {EngagementId} disputed by its receiver", input.HandoverId, input.EngagementId);
        return row.Status;
    }
}
