using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Contracts;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Durable;
using Supervision.Kernel;
using Supervision.Pledges;
using Supervision.Reports;
using Supervision.Selection;
using Supervision.Training;
using Supervision.Vendors;

namespace Supervision.Engagements;

/// <summary>
/// Input of <see cref="EngagementWorkflow"/>; the instance id is the engagement id. <paramref name="Resume"/> is set when
/// the daily sweep starts the workflow again after it was lost: it then reads where the engagement stands and carries on
/// from there instead of asking the contractor again for what it already gave.
/// </summary>
/// <param name="ResumedAt">When the sweep resumed it (ticks): what tells the requests of one resume from another's.</param>
public sealed record EngagementWorkflowInput(string EngagementId, bool Resume = false, long? ResumedAt = null);

/// <summary>
/// One durable workflow per contractor engagement, through its whole life. It records each stage through an
/// activity and waits for people as external events. The selection stage: the contractor is sent the questionnaire,
/// reminded at intervals with a fresh link and, still silent, escalated to the supervisors; the answers are scored and
/// a supervisor approves or rejects. A rejection ends the engagement; an approval asks for the contract, and the
/// engagement is active once the contract is complete.
/// </summary>
public sealed class EngagementWorkflow : TaskOrchestrator<EngagementWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, EngagementWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<EngagementWorkflow>();
        string engagementId = input.EngagementId;

        // A fresh start makes exactly the calls it always made, so instances already running replay unchanged.
        EngagementProgress progress = input.Resume
            ? await context.CallActivityAsync<EngagementProgress>(nameof(ReadEngagementProgress), engagementId, ActivityRetry.Options)
            : EngagementProgress.Fresh;
        if (progress.Stage is EngagementStage.Rejected or EngagementStage.Closing or EngagementStage.Closed)
            return progress.Stage.ToString();

        if (progress.Stage <= EngagementStage.SelectionRequested)
        {
            await MoveAsync(context, engagementId, EngagementStage.SelectionRequested);
            OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(nameof(OpenDueDiligence), new DueDiligenceInput(engagementId), ActivityRetry.Options);
            logger.LogInformation("Engagement {EngagementId} is waiting for due diligence {RequestId} until {DueAt}", engagementId, opened.RequestId, opened.DueAt);

            // Answers submitted while no workflow was listening raised their event to nobody: score them now.
            if (!progress.DueDiligenceAnswered)
                await RequestChase.UntilFulfilledAsync(context, opened);

            await context.CallActivityAsync<string>(nameof(ScoreDueDiligence), new DueDiligenceScoring(engagementId, opened.RequestId), ActivityRetry.Options);
            await MoveAsync(context, engagementId, EngagementStage.UnderReview);
        }

        if (progress.Stage <= EngagementStage.UnderReview)
        {
            logger.LogInformation("Engagement {EngagementId} is waiting for a supervisor's selection decision", engagementId);
            SelectionDecided decision = progress.Decision ?? await context.WaitForExternalEvent<SelectionDecided>(nameof(SelectionDecided));
            logger.LogInformation("Engagement {EngagementId} selection decided by {DecidedBy}: approved {Approved}", engagementId, decision.DecidedBy, decision.Approved);
            if (!decision.Approved)
            {
                await MoveAsync(context, engagementId, EngagementStage.Rejected);
                return nameof(EngagementStage.Rejected);
            }

            await MoveAsync(context, engagementId, EngagementStage.ContractRequested);
        }

        if (progress.Stage <= EngagementStage.ContractRequested)
        {
            string purpose = !input.Resume ? "contract"
                : input.ResumedAt is { } resumedAt ? $"contract.resumed.{resumedAt.ToString(CultureInfo.InvariantCulture)}"
                : "contract.resumed";
            await WaitForContractAsync(context, engagementId, progress, purpose);
        }

        await MoveAsync(context, engagementId, EngagementStage.Active);
        logger.LogInformation("Engagement {EngagementId}: contract complete, data may be handed over", engagementId);

        // Supervision while the work runs: each duty is a workflow of its own with bounded history (ContinueAsNew).
        await context.CallActivityAsync<bool>(nameof(StartReporting), new ReportingStart(engagementId), ActivityRetry.Options);
        await context.CallActivityAsync<bool>(nameof(StartPledges), engagementId, ActivityRetry.Options);
        await context.CallActivityAsync<bool>(nameof(StartTraining), engagementId, ActivityRetry.Options);
        return nameof(EngagementStage.Active);
    }

    /// <summary>
    /// The contract stage: the contractor is asked, and chased until it answers, for the signed contract and its agreement
    /// to the split of responsibility — asked again if a submission lacks either; staff record the terms and confirm the
    /// clauses meanwhile, and whichever change completes the contract ends the wait.
    /// </summary>
    private static async Task WaitForContractAsync(TaskOrchestrationContext context, string engagementId, EngagementProgress resumed, string purpose)
    {
        ContractProgress progress = new(resumed.ContractorPartDone, resumed.ContractComplete);
        // A resumed workflow chases the request still open (opening and mailing it again is a no-op) before asking anew,
        // under ids of this resume's own (purpose), so none collides with a request a lost workflow opened, however often
        // the engagement's workflow was lost.
        string? openRequestId = resumed.OpenContractRequestId;
        for (int attempt = 1; !progress.ContractorPartDone; attempt++)
        {
            string requestId = openRequestId ?? RequestIds.Derive(context.InstanceId, $"{purpose}.{attempt.ToString(CultureInfo.InvariantCulture)}");
            openRequestId = null;
            OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(
                nameof(OpenContractRequest), new ContractRequestInput(engagementId, requestId), ActivityRetry.Options);
            VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, opened);
            progress = await context.CallActivityAsync<ContractProgress>(
                nameof(RecordContractSubmission), new ContractSubmission(engagementId, submitted.RequestId, submitted.LinkId), ActivityRetry.Options);
        }

        if (!progress.Complete)
            await context.WaitForExternalEvent<ContractCompleted>(nameof(ContractCompleted));
        await context.CallActivityAsync<bool>(nameof(CompleteContract), engagementId, ActivityRetry.Options);
    }

    private static async Task MoveAsync(TaskOrchestrationContext context, string engagementId, EngagementStage stage)
    {
        await context.CallActivityAsync(nameof(MoveEngagementStage), new StageMove(engagementId, stage, context.CurrentUtcDateTime), ActivityRetry.Options);
        context.SetCustomStatus(stage.ToString());
    }
}

public sealed record StageMove(string EngagementId, EngagementStage Stage, DateTime At);

/// <summary>
/// Records a stage on the engagement row with its trail entry, in one transaction; idempotent, so a retried call
/// changes nothing twice and appends nothing twice (the row is at the stage already, and the entry is keyed by it).
/// </summary>
public sealed class MoveEngagementStage(EngagementStore store) : TaskActivity<StageMove, EngagementStage>
{
    public override async Task<EngagementStage> RunAsync(TaskActivityContext context, StageMove input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entry = new TrailEntry(
            AuditActors.System,
            AuditActions.StageChanged,
            new Dictionary<string, string> { ["stage"] = JsonNamingPolicy.CamelCase.ConvertName(input.Stage.ToString()) },
            $"stage.{input.Stage}");
        EngagementRecord record = await store.MoveToStageAsync(input.EngagementId, input.Stage, new DateTimeOffset(input.At, TimeSpan.Zero), entry, CancellationToken.None);
        return Enum.Parse<EngagementStage>(record.Stage);
    }
}

/// <summary>Where an engagement stands, as a resumed <see cref="EngagementWorkflow"/> needs to know it.</summary>
public sealed record EngagementProgress(
    EngagementStage Stage,
    bool DueDiligenceAnswered,
    SelectionDecided? Decision,
    string? OpenContractRequestId,
    bool ContractorPartDone,
    bool ContractComplete)
{
    public static EngagementProgress Fresh { get; } = new(EngagementStage.Received, false, null, null, false, false);
}

/// <summary>
/// Reads where an engagement stands for a resumed workflow: its stage, whether the due diligence was already answered,
/// a decision already recorded, the contract request still open and what the contract still lacks. Reads only.
/// </summary>
public sealed class ReadEngagementProgress(EngagementStore store, VendorRequests requests) : TaskActivity<string, EngagementProgress>
{
    public override async Task<EngagementProgress> RunAsync(TaskActivityContext context, string input)
    {
        EngagementRecord record = await store.GetAsync(input, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input} does not exist.");
        EngagementStage stage = Enum.Parse<EngagementStage>(record.Stage);
        bool answered = record.DueDiligenceRequestId is { } dueDiligence
            && await requests.GetAsync(input, dueDiligence, CancellationToken.None) is { } request
            && request.Status == nameof(RequestStatus.Fulfilled);
        SelectionDecided? decision = stage == EngagementStage.UnderReview && record.Decision is { } decided
            ? new SelectionDecided(decided == "approved", record.DecisionReason ?? string.Empty, record.DecidedBy ?? string.Empty)
            : null;
        string? openContractRequest = record.ContractRequestId is { } contract
            && await requests.GetAsync(input, contract, CancellationToken.None) is { Status: nameof(RequestStatus.Open) }
            ? contract
            : null;
        return new EngagementProgress(
            stage,
            answered,
            decision,
            openContractRequest,
            record.ResponsibilitySplitAgreedAt is not null && record.SignedContractEvidenceId is not null,
            record.Gate().IsOpen);
    }
}
