using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Training;
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Training;

/// <summary>
/// Input of <see cref="TrainingWorkflow"/>: the round (a plan and its sessions' results), the accepted plan's sessions
/// once there is one, the next session to report, and when the next round's plan is asked for.
/// </summary>
public sealed record TrainingWorkflowInput(string EngagementId, int Round = 1, IReadOnlyList<DateOnly>? Sessions = null, int NextSession = 0, DateTime? RenewAt = null, int Attempt = 1)
{
    public static string InstanceId(string engagementId) => $"{engagementId}-training";
}

/// <summary>Whether the plan was accepted, its sessions, and when the next round's plan is due.</summary>
public sealed record TrainingPlanOutcome(bool Accepted, IReadOnlyList<DateOnly> Sessions, DateTime? RenewAt);

/// <summary>
/// Training of the contractor's staff (5-1, 5-2): the contractor submits its plan through a link and is asked again
/// until the plan is acceptable; on each planned day it is asked for that session's result, and asked again while a
/// result is refused (a named roster without the attendees' consent, 5-2, among the reasons). Each request is one
/// execution (<c>ContinueAsNew</c>), so the history stays bounded.
/// </summary>
public sealed class TrainingWorkflow : TaskOrchestrator<TrainingWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, TrainingWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<TrainingWorkflow>();
        string engagementId = input.EngagementId;
        if (input.Sessions is null)
        {
            OpenedRequest plan = await context.CallActivityAsync<OpenedRequest>(
                nameof(OpenTrainingPlanRequest), new DutyRequestInput(engagementId, RequestIds.Derive(context.InstanceId, $"plan.{input.Round}.{input.Attempt}"), input.Round), ActivityRetry.Options);
            VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, plan);
            TrainingPlanOutcome outcome = await context.CallActivityAsync<TrainingPlanOutcome>(
                nameof(RecordTrainingPlan), new DutySubmission(engagementId, submitted.RequestId, submitted.LinkId), ActivityRetry.Options);
            logger.LogInformation("Engagement {EngagementId}: training plan {RequestId} accepted {Accepted}", engagementId, submitted.RequestId, outcome.Accepted);
            context.ContinueAsNew(
                outcome.Accepted
                    ? input with { Sessions = [.. outcome.Sessions.Order()], NextSession = 0, RenewAt = outcome.RenewAt, Attempt = 1 }
                    : input with { Attempt = input.Attempt + 1 },
                preserveUnprocessedEvents: true);
            return outcome.Accepted ? "planned" : nameof(DutyStatus.Refused);
        }

        if (input.NextSession < input.Sessions.Count)
        {
            DateOnly session = input.Sessions[input.NextSession];
            DateTime heldFrom = JapanCalendar.StartUtc(session).UtcDateTime;
            if (heldFrom > context.CurrentUtcDateTime)
                await context.CreateTimer(heldFrom, CancellationToken.None);
            OpenedRequest result = await context.CallActivityAsync<OpenedRequest>(
                nameof(OpenTrainingResultRequest),
                new DutyRequestInput(engagementId, RequestIds.Derive(context.InstanceId, $"result.{input.Round}.{input.NextSession}.{input.Attempt}"), input.Round, session), ActivityRetry.Options);
            VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, result);
            DutyOutcome outcome = await context.CallActivityAsync<DutyOutcome>(
                nameof(RecordTrainingResult), new DutySubmission(engagementId, submitted.RequestId, submitted.LinkId), ActivityRetry.Options);
            logger.LogInformation("Engagement {EngagementId}: training result {RequestId} accepted {Accepted}", engagementId, submitted.RequestId, outcome.Accepted);
            context.ContinueAsNew(
                outcome.Accepted ? input with { NextSession = input.NextSession + 1, Attempt = 1 } : input with { Attempt = input.Attempt + 1 },
                preserveUnprocessedEvents: true);
            return outcome.Accepted ? nameof(DutyStatus.Accepted) : nameof(DutyStatus.Refused);
        }

        if (input.RenewAt > context.CurrentUtcDateTime)
            await context.CreateTimer(input.RenewAt.Value, CancellationToken.None);
        context.ContinueAsNew(new TrainingWorkflowInput(engagementId, input.Round + 1), preserveUnprocessedEvents: true);
        return "renewing";
    }
}

/// <summary>What the training requests ask (5-1 ① the plan, ② each session's result, 5-2 the roster's consent).</summary>
public static class TrainingRequests
{
    public const string PlanKind = "training-plan";
    public const string ResultKind = "training-result";
    public const string PlanPrefix = "training|plan|";
    public const string ResultPrefix = "training|result|";
    public const string KeyPrefix = "training|";

    public const string Topics = "topics";
    public const string Format = "format";
    public const string Audience = "audience";
    public const string PlannedDates = "plannedDates";
    public const string ResultCheck = "resultCheck";

    public const string HeldOn = "heldOn";
    public const string Content = "content";
    public const string Attendance = "attendance";
    public const string TestTakers = "testTakers";
    public const string TestPassed = "testPassed";
    public const string HasNamedRoster = "hasNamedRoster";
    public const string RosterConsentConfirmed = "rosterConsentConfirmed";

    public static IReadOnlyList<Question> PlanQuestions { get; } =
    [
        new(Topics, "研修で扱う内容（1行に1項目）", "What the training teaches (one topic a line)", QuestionKind.Text),
        new(Format, "実施形式（集合研修、eラーニング等）", "The format (classroom, e-learning, …)", QuestionKind.Text),
        new(Audience, "対象者", "Who attends", QuestionKind.Text),
        new(PlannedDates, "実施予定日（yyyy-MM-dd、複数は改行またはカンマ区切り）", "The planned dates (yyyy-MM-dd, several separated by lines or commas)", QuestionKind.Text),
        new(ResultCheck, "理解度の確認方法（確認テスト等）", "How the result is checked (a test, for instance)", QuestionKind.Text),
    ];

    public static IReadOnlyList<Question> ResultQuestions { get; } =
    [
        new(HeldOn, "実施日", "The date it was held", QuestionKind.Date),
        new(Content, "実施内容", "What was taught", QuestionKind.Text),
        new(Attendance, "受講者数", "How many attended", QuestionKind.Text),
        new(TestTakers, "確認テストの受験者数（実施した場合）", "How many took the check test (if one was given)", QuestionKind.Text, Required: false),
        new(TestPassed, "確認テストの合格者数（実施した場合）", "How many passed it (if one was given)", QuestionKind.Text, Required: false),
        new(HasNamedRoster, "受講者の氏名入り名簿を添付しますか", "Is a roster of named attendees attached?", QuestionKind.YesNo),
        new(
            RosterConsentConfirmed,
            "名簿を添付する場合、受講者に利用目的を通知し、委託元へ提供することについて事前に同意を得ましたか（5-2）",
            "If a roster is attached: were the attendees told the purpose and did they consent beforehand to it going to the principal (5-2)?",
            QuestionKind.YesNo,
            Required: false),
    ];

    public static IReadOnlyList<string> ResultEvidence(Language language) =>
        [language == Language.Ja ? "確認テストの結果、または（受講者の同意がある場合に限り）受講者名簿" : "The check test's results or, only with the attendees' consent, the roster of named attendees"];
}

/// <summary>Starts the engagement's training workflow once its contract is complete; idempotent.</summary>
/// <remarks>
/// The client is looked up when the activity runs, never injected: in the Functions app it is a binding, not a service, and
/// a constructor asking for it fails the worker's service-provider validation at start-up.
/// </remarks>
public sealed class StartTraining(IServiceProvider services, EngagementStore store) : TaskActivity<string, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, string input) => StartAsync(DurableStarts.ClientFrom(services), store, input);

    public static Task<bool> StartAsync(DurableTaskClient durable, EngagementStore store, string engagementId) =>
        DutyWorkflows.EnsureStartedAsync(durable, store, engagementId, nameof(TrainingWorkflow), TrainingWorkflowInput.InstanceId(engagementId), new TrainingWorkflowInput(engagementId));
}

/// <summary>Opens the training plan request and mails its link, once; records it as asked.</summary>
public sealed class OpenTrainingPlanRequest(RequestMail mail, ContractorDutyStore duties, TimeProvider time) : TaskActivity<DutyRequestInput, OpenedRequest>
{
    public override Task<OpenedRequest> RunAsync(TaskActivityContext context, DutyRequestInput input) =>
        DutyRequests.OpenAsync(mail, duties, time, input, _ => new DutyAsk(
            TrainingRequests.PlanKind,
            "従業者への個人情報保護研修の実施計画のご提出",
            "Your plan for training staff in handling personal information",
            TrainingRequests.PlanQuestions,
            [],
            TrainingWorkflowInput.InstanceId(input.EngagementId),
            TrainingRequests.PlanPrefix + input.RequestId));
}

/// <summary>Opens the request for one session's result and mails its link, once; records it as asked.</summary>
public sealed class OpenTrainingResultRequest(RequestMail mail, ContractorDutyStore duties, TimeProvider time) : TaskActivity<DutyRequestInput, OpenedRequest>
{
    public override Task<OpenedRequest> RunAsync(TaskActivityContext context, DutyRequestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string session = input.For?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
        return DutyRequests.OpenAsync(mail, duties, time, input, language => new DutyAsk(
            TrainingRequests.ResultKind,
            $"個人情報保護研修（{session}予定分）の実施結果のご報告",
            $"The result of the training planned for {session}",
            TrainingRequests.ResultQuestions,
            TrainingRequests.ResultEvidence(language),
            TrainingWorkflowInput.InstanceId(input.EngagementId),
            TrainingRequests.ResultPrefix + input.RequestId,
            session));
    }
}

/// <summary>Checks the contractor's plan against 5-1 and records it as accepted or refused with the reasons; idempotent.</summary>
public sealed class RecordTrainingPlan(
    EvidenceStore evidence,
    ContractorDutyStore duties,
    AuditLog audit,
    IOptionsMonitor<DutyOptions> options,
    TimeProvider time,
    ILogger<RecordTrainingPlan> logger) : TaskActivity<DutySubmission, TrainingPlanOutcome>
{
    public override async Task<TrainingPlanOutcome> RunAsync(TaskActivityContext context, DutySubmission input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        DateTimeOffset now = time.GetUtcNow();
        var errors = new ValidationErrors();
        List<DateOnly> dates = [];
        string[] given = Lines(submission.Answer(TrainingRequests.PlannedDates));
        for (int i = 0; i < given.Length; i++)
        {
            if (DateOnly.TryParseExact(given[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
                dates.Add(date);
            else
                errors.Add($"plannedDates[{i}]", "must be a date (yyyy-MM-dd).");
        }

        var plan = new TrainingPlan(
            Lines(submission.Answer(TrainingRequests.Topics), splitCommas: false),
            submission.Answer(TrainingRequests.Format) ?? string.Empty,
            submission.Answer(TrainingRequests.Audience) ?? string.Empty,
            dates,
            submission.Answer(TrainingRequests.ResultCheck) ?? string.Empty);
        foreach ((string field, string[] messages) in TrainingPlanRules.Validate(plan, JapanCalendar.DateAt(now)).ToDictionary())
        {
            foreach (string message in messages)
                errors.Add(field, message);
        }

        bool accepted = errors.IsEmpty;
        ContractorDutyRecord row = await duties.AnsweredAsync(input.EngagementId, TrainingRequests.PlanPrefix + input.RequestId, row =>
        {
            row.Status = accepted ? nameof(DutyStatus.Accepted) : nameof(DutyStatus.Refused);
            row.Facts = ContractorDutyStore.Json(plan);
            row.Reasons = accepted ? null : ContractorDutyStore.Json(errors.ToDictionary());
            row.AnsweredBy = input.LinkId;
            row.RecordedAt = now;
        });
        accepted = row.Status == nameof(DutyStatus.Accepted);
        TrainingPlan recorded = System.Text.Json.JsonSerializer.Deserialize<TrainingPlan>(row.Facts!, Http.ApiJson.Options)!;
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.VendorLink(input.LinkId),
            accepted ? AuditActions.TrainingPlanAccepted : AuditActions.TrainingPlanRefused,
            new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                ["plannedDates"] = string.Join(',', recorded.PlannedDates.Select(date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                ["reasons"] = row.Reasons ?? string.Empty,
            },
            CancellationToken.None,
            entryKey: $"training.{input.RequestId}.{(accepted ? "plan-accepted" : "plan-refused")}");
        if (!accepted)
        {
            logger.LogWarning("Engagement {EngagementId}: training plan {RequestId} refused: {Reasons}", input.EngagementId, input.RequestId, row.Reasons);
            return new TrainingPlanOutcome(false, [], null);
        }

        DateTimeOffset recordedAt = row.RecordedAt ?? now;
        DateTimeOffset renewAt = options.Get(DutyOptions.TrainingSection).Every is { } every ? recordedAt + every : recordedAt.AddYears(1);
        return new TrainingPlanOutcome(true, recorded.PlannedDates, renewAt.UtcDateTime);
    }

    private static string[] Lines(string? text, bool splitCommas = true) =>
        (text ?? string.Empty).Split(splitCommas ? ['\n', '\r', ',', '、'] : ['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Checks one session's result against 5-1 and 5-2 and records it. A refused result's uploads (a named roster without
/// the attendees' consent, for instance) are recorded as refused and never counted. Idempotent.
/// </summary>
public sealed class RecordTrainingResult(
    EvidenceStore evidence,
    ContractorDutyStore duties,
    AuditLog audit,
    TimeProvider time,
    ILogger<RecordTrainingResult> logger) : TaskActivity<DutySubmission, DutyOutcome>
{
    public override async Task<DutyOutcome> RunAsync(TaskActivityContext context, DutySubmission input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        DateTimeOffset now = time.GetUtcNow();
        var errors = new ValidationErrors();
        DateOnly? heldOn = DateOnly.TryParseExact(submission.Answer(TrainingRequests.HeldOn), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date) ? date : null;
        if (heldOn is null)
            errors.Add(TrainingRequests.HeldOn, "is required: a date (yyyy-MM-dd).");
        int? attendance = ContractorDutyStore.Number(submission.Answers, TrainingRequests.Attendance, errors);
        int? takers = ContractorDutyStore.Number(submission.Answers, TrainingRequests.TestTakers, errors, required: false);
        int? passed = ContractorDutyStore.Number(submission.Answers, TrainingRequests.TestPassed, errors, required: false);
        bool roster = submission.Answer(TrainingRequests.HasNamedRoster) == "yes";
        bool consent = submission.Answer(TrainingRequests.RosterConsentConfirmed) == "yes";
        var result = new TrainingResult(heldOn ?? default, submission.Answer(TrainingRequests.Content) ?? string.Empty, attendance ?? 0, takers, passed, roster, consent);
        ValidationErrors rules = TrainingResultRules.Validate(result, JapanCalendar.DateAt(now));
        foreach ((string field, string[] messages) in rules.ToDictionary())
        {
            if (field is "heldOn" && heldOn is null || field is "attendance" && attendance is null)
                continue;
            foreach (string message in messages)
                errors.Add(field, message);
        }

        bool accepted = errors.IsEmpty;
        string uploads = string.Join(',', submission.Uploads.Select(upload => upload.EvidenceId));
        ContractorDutyRecord row = await duties.AnsweredAsync(input.EngagementId, TrainingRequests.ResultPrefix + input.RequestId, row =>
        {
            row.Status = accepted ? nameof(DutyStatus.Accepted) : nameof(DutyStatus.Refused);
            row.Facts = ContractorDutyStore.Json(result);
            row.Reasons = accepted ? null : ContractorDutyStore.Json(errors.ToDictionary());
            row.EvidenceIds = accepted ? uploads : null;
            row.RefusedEvidenceIds = accepted ? null : uploads;
            row.AnsweredBy = input.LinkId;
            row.RecordedAt = now;
        });
        accepted = row.Status == nameof(DutyStatus.Accepted);
        var details = new Dictionary<string, string>
        {
            ["requestId"] = input.RequestId,
            ["session"] = row.For ?? string.Empty,
            [TrainingRequests.HeldOn] = submission.Answer(TrainingRequests.HeldOn) ?? string.Empty,
            [TrainingRequests.Attendance] = submission.Answer(TrainingRequests.Attendance) ?? string.Empty,
            [TrainingRequests.HasNamedRoster] = roster ? "yes" : "no",
            [TrainingRequests.RosterConsentConfirmed] = consent ? "yes" : "no",
        };
        if (accepted)
        {
            details["evidenceIds"] = row.EvidenceIds ?? string.Empty;
        }
        else
        {
            details["reasons"] = row.Reasons ?? string.Empty;
            details["refusedEvidenceIds"] = row.RefusedEvidenceIds ?? string.Empty;
        }

        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.VendorLink(input.LinkId),
            accepted ? AuditActions.TrainingReported : AuditActions.TrainingRefused,
            details,
            CancellationToken.None,
            entryKey: $"training.{input.RequestId}.{(accepted ? "reported" : "refused")}");
        if (!accepted)
            logger.LogWarning("Engagement {EngagementId}: training result {RequestId} refused: {Reasons}", input.EngagementId, input.RequestId, row.Reasons);
        return new DutyOutcome(accepted);
    }
}
