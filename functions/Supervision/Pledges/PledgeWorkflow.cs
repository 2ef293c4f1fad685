using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Pledges;
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Pledges;

/// <summary>Input of <see cref="PledgeWorkflow"/>: the engagement and how many attestations were asked for before.</summary>
public sealed record PledgeWorkflowInput(string EngagementId, int Round = 1, int Attempt = 1)
{
    public static string InstanceId(string engagementId) => $"{engagementId}-pledges";
}

/// <summary>
/// Confidentiality pledges while the work runs (4-1 … 4-3): the contractor attests through its link that every staff
/// member on the work signed a pledge, and those stationed at the principal's site the stricter one. A refused
/// attestation is asked again at once; an accepted one is asked again when the next is due. One attestation per
/// execution (<c>ContinueAsNew</c>), so the history stays bounded however long the contract runs.
/// </summary>
public sealed class PledgeWorkflow : TaskOrchestrator<PledgeWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, PledgeWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<PledgeWorkflow>();
        OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(
            nameof(OpenPledgeRequest), new DutyRequestInput(input.EngagementId, RequestIds.Derive(context.InstanceId, $"pledge.{input.Round}.{input.Attempt}"), input.Round), ActivityRetry.Options);
        VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, opened);
        DutyOutcome outcome = await context.CallActivityAsync<DutyOutcome>(
            nameof(RecordPledgeAttestation), new DutySubmission(input.EngagementId, submitted.RequestId, submitted.LinkId), ActivityRetry.Options);
        if (!outcome.Accepted)
        {
            logger.LogInformation("Engagement {EngagementId}: pledge attestation {RequestId} refused, asking again", input.EngagementId, submitted.RequestId);
            context.ContinueAsNew(input with { Attempt = input.Attempt + 1 }, preserveUnprocessedEvents: true);
            return nameof(DutyStatus.Refused);
        }

        logger.LogInformation("Engagement {EngagementId}: pledges attested, next asked at {NextAskAt}", input.EngagementId, outcome.NextAskAt);
        if (outcome.NextAskAt > context.CurrentUtcDateTime)
            await context.CreateTimer(outcome.NextAskAt.Value, CancellationToken.None);
        context.ContinueAsNew(input with { Round = input.Round + 1, Attempt = 1 }, preserveUnprocessedEvents: true);
        return nameof(DutyStatus.Accepted);
    }
}

/// <summary>What the pledge request asks: the counts of 4-1 … 4-3 and the date they were checked.</summary>
public static class PledgeRequest
{
    public const string Kind = "pledge";
    public const string KeyPrefix = "pledge|";
    public const string StaffOnWork = "staffOnWork";
    public const string PledgesSigned = "pledgesSigned";
    public const string StationedAtPrincipalSite = "stationedAtPrincipalSite";
    public const string StricterPledgesSigned = "stricterPledgesSigned";
    public const string AttestedOn = "attestedOn";

    public static IReadOnlyList<Question> Questions { get; } =
    [
        new(StaffOnWork, "本業務に従事する従業者の人数", "How many staff members work on the engagement", QuestionKind.Text),
        new(PledgesSigned, "うち、秘密保持の誓約書（念書）に署名した人数", "Of them, how many signed the confidentiality pledge", QuestionKind.Text),
        new(StationedAtPrincipalSite, "うち、委託元の事業所（データセンター等）に常駐する人数", "Of them, how many are stationed at the principal's site (a data centre, for instance)", QuestionKind.Text),
        new(StricterPledgesSigned, "常駐者のうち、業務外の個人情報に触れない・知り得た情報を漏らさない旨の誓約書に署名した人数", "Of those stationed there, how many signed the stricter pledge: not to touch personal information outside the work and not to disclose what they come to know", QuestionKind.Text),
        new(AttestedOn, "上記を確認した日", "The date you checked the above", QuestionKind.Date),
    ];

    public static string RowKey(string requestId) => KeyPrefix + requestId;
}

/// <summary>Starts the engagement's pledge workflow once its contract is complete; idempotent.</summary>
/// <remarks>
/// The client is looked up when the activity runs, never injected: in the Functions app it is a binding, not a service, and
/// a constructor asking for it fails the worker's service-provider validation at start-up.
/// </remarks>
public sealed class StartPledges(IServiceProvider services, EngagementStore store) : TaskActivity<string, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, string input) => StartAsync(DurableStarts.ClientFrom(services), store, input);

    public static Task<bool> StartAsync(DurableTaskClient durable, EngagementStore store, string engagementId) =>
        DutyWorkflows.EnsureStartedAsync(durable, store, engagementId, nameof(PledgeWorkflow), PledgeWorkflowInput.InstanceId(engagementId), new PledgeWorkflowInput(engagementId));
}

/// <summary>Opens the pledge request and mails its link, once; records it as asked.</summary>
public sealed class OpenPledgeRequest(RequestMail mail, ContractorDutyStore duties, TimeProvider time) : TaskActivity<DutyRequestInput, OpenedRequest>
{
    public override Task<OpenedRequest> RunAsync(TaskActivityContext context, DutyRequestInput input) =>
        DutyRequests.OpenAsync(mail, duties, time, input, _ => new DutyAsk(
            PledgeRequest.Kind,
            "従業者の秘密保持誓約の状況のご報告",
            "Confidentiality pledges of your staff on the work",
            PledgeRequest.Questions,
            [],
            PledgeWorkflowInput.InstanceId(input.EngagementId),
            PledgeRequest.RowKey(input.RequestId)));
}

/// <summary>
/// Reads the contractor's attestation, checks it against the rules of 4-1 … 4-3 and records it as attested or as refused
/// with the reasons. Idempotent: the same submission is recorded and audited once.
/// </summary>
public sealed class RecordPledgeAttestation(
    EngagementStore engagements,
    EvidenceStore evidence,
    ContractorDutyStore duties,
    RequestMail mail,
    IOptionsMonitor<DutyOptions> options,
    TimeProvider time,
    ILogger<RecordPledgeAttestation> logger) : TaskActivity<DutySubmission, DutyOutcome>
{
    public override async Task<DutyOutcome> RunAsync(TaskActivityContext context, DutySubmission input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EngagementRecord engagement = await engagements.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        DateOnly start = engagement.StartsOn() ?? throw new InvalidOperationException($"Engagement {input.EngagementId} has no contract start.");
        ReportFrequency frequency = engagement.Terms()?.Reporting?.Frequency ?? throw new InvalidOperationException($"Engagement {input.EngagementId} has no reporting terms.");
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        DateTimeOffset now = time.GetUtcNow();
        DateOnly today = JapanCalendar.DateAt(now);

        var errors = new ValidationErrors();
        int? staff = ContractorDutyStore.Number(submission.Answers, PledgeRequest.StaffOnWork, errors);
        int? signed = ContractorDutyStore.Number(submission.Answers, PledgeRequest.PledgesSigned, errors);
        int? stationed = ContractorDutyStore.Number(submission.Answers, PledgeRequest.StationedAtPrincipalSite, errors);
        int? stricter = ContractorDutyStore.Number(submission.Answers, PledgeRequest.StricterPledgesSigned, errors);
        DateOnly? attestedOn = DateOnly.TryParseExact(submission.Answer(PledgeRequest.AttestedOn), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date) ? date : null;
        if (attestedOn is null)
            errors.Add(PledgeRequest.AttestedOn, "is required: a date (yyyy-MM-dd).");
        PledgeAttestation? attestation = errors.IsEmpty ? new PledgeAttestation(staff!.Value, signed!.Value, stationed!.Value, stricter!.Value, attestedOn!.Value) : null;
        if (attestation is not null)
            errors = PledgeAttestationRules.Validate(attestation, start, today);

        bool accepted = errors.IsEmpty;
        DateOnly? nextDue = accepted ? PledgeAttestationRules.NextDueOn(start, frequency, attestation!.AttestedOn) : null;
        var trail = new DutyTrail(input.LinkId, $"pledge.{input.RequestId}", (AuditActions.PledgeAttested, "attested"), (AuditActions.PledgeRefused, "refused"), (row, recordedAccepted) =>
        {
            var details = new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                [PledgeRequest.StaffOnWork] = submission.Answer(PledgeRequest.StaffOnWork) ?? string.Empty,
                [PledgeRequest.PledgesSigned] = submission.Answer(PledgeRequest.PledgesSigned) ?? string.Empty,
                [PledgeRequest.StationedAtPrincipalSite] = submission.Answer(PledgeRequest.StationedAtPrincipalSite) ?? string.Empty,
                [PledgeRequest.StricterPledgesSigned] = submission.Answer(PledgeRequest.StricterPledgesSigned) ?? string.Empty,
                [PledgeRequest.AttestedOn] = submission.Answer(PledgeRequest.AttestedOn) ?? string.Empty,
            };
            if (recordedAccepted)
                details["nextDueOn"] = row.NextDueOn ?? string.Empty;
            else
                details["reasons"] = row.Reasons ?? string.Empty;
            return details;
        });
        (ContractorDutyRecord row, accepted) = await duties.AnsweredAsync(input.EngagementId, PledgeRequest.RowKey(input.RequestId), row =>
        {
            row.Status = accepted ? nameof(DutyStatus.Accepted) : nameof(DutyStatus.Refused);
            row.Facts = ContractorDutyStore.Json(submission.Answers);
            row.Reasons = accepted ? null : ContractorDutyStore.Json(errors.ToDictionary());
            row.AnsweredBy = input.LinkId;
            row.RecordedAt = now;
            row.NextDueOn = nextDue?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }, trail);
        if (!accepted)
        {
            logger.LogWarning("Engagement {EngagementId}: pledge attestation {RequestId} refused: {Reasons}", input.EngagementId, input.RequestId, row.Reasons);
            return new DutyOutcome(false);
        }

        DateTimeOffset askAt = options.Get(DutyOptions.PledgesSection).Every is { } every
            ? (row.RecordedAt ?? now) + every
            : Later(row.RecordedAt ?? now, JapanCalendar.EndUtc(DateOnly.ParseExact(row.NextDueOn!, "yyyy-MM-dd", CultureInfo.InvariantCulture)) - mail.Options.AnswerWithin);
        return new DutyOutcome(true, askAt.UtcDateTime);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
