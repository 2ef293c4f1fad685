using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Training;
using Supervision.Evidence;
using Supervision.Kernel;

namespace Supervision.Training;

/// <summary>Checks the contractor's plan against 5-1 and records it as accepted or refused with the reasons; idempotent.</summary>
public sealed class RecordTrainingPlan(
    EvidenceStore evidence,
    ContractorDutyStore duties,
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
        var trail = new DutyTrail(
            input.LinkId,
            $"training.{input.RequestId}",
            (AuditActions.TrainingPlanAccepted, "plan-accepted"),
            (AuditActions.TrainingPlanRefused, "plan-refused"),
            (row, _) => new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                ["plannedDates"] = string.Join(',', Recorded(row).PlannedDates.Select(date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                ["reasons"] = row.Reasons ?? string.Empty,
            });
        (ContractorDutyRecord row, accepted) = await duties.AnsweredAsync(input.EngagementId, TrainingRequests.PlanPrefix + input.RequestId, row =>
        {
            row.Status = accepted ? nameof(DutyStatus.Accepted) : nameof(DutyStatus.Refused);
            row.Facts = ContractorDutyStore.Json(plan);
            row.Reasons = accepted ? null : ContractorDutyStore.Json(errors.ToDictionary());
            row.AnsweredBy = input.LinkId;
            row.RecordedAt = now;
        }, trail);
        TrainingPlan recorded = Recorded(row);
        if (!accepted)
        {
            logger.LogWarning("Engagement {EngagementId}: training plan {RequestId} refused: {Reasons}", input.EngagementId, input.RequestId, row.Reasons);
            return new TrainingPlanOutcome(false, [], null);
        }

        DateTimeOffset recordedAt = row.RecordedAt ?? now;
        DateTimeOffset renewAt = options.Get(DutyOptions.TrainingSection).Every is { } every ? recordedAt + every : recordedAt.AddYears(1);
        return new TrainingPlanOutcome(true, recorded.PlannedDates, renewAt.UtcDateTime);
    }

    private static TrainingPlan Recorded(ContractorDutyRecord row) => System.Text.Json.JsonSerializer.Deserialize<TrainingPlan>(row.Facts!, Http.ApiJson.Options)!;

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
        var trail = new DutyTrail(input.LinkId, $"training.{input.RequestId}", (AuditActions.TrainingReported, "reported"), (AuditActions.TrainingRefused, "refused"), (row, recordedAccepted) =>
        {
            var details = new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                ["session"] = row.For ?? string.Empty,
                [TrainingRequests.HeldOn] = submission.Answer(TrainingRequests.HeldOn) ?? string.Empty,
                [TrainingRequests.Attendance] = submission.Answer(TrainingRequests.Attendance) ?? string.Empty,
                [TrainingRequests.HasNamedRoster] = roster ? "yes" : "no",
                [TrainingRequests.RosterConsentConfirmed] = consent ? "yes" : "no",
            };
            if (recordedAccepted)
            {
                details["evidenceIds"] = row.EvidenceIds ?? string.Empty;
            }
            else
            {
                details["reasons"] = row.Reasons ?? string.Empty;
                details["refusedEvidenceIds"] = row.RefusedEvidenceIds ?? string.Empty;
            }

            return details;
        });
        (ContractorDutyRecord row, accepted) = await duties.AnsweredAsync(input.EngagementId, TrainingRequests.ResultPrefix + input.RequestId, row =>
        {
            row.Status = accepted ? nameof(DutyStatus.Accepted) : nameof(DutyStatus.Refused);
            row.Facts = ContractorDutyStore.Json(result);
            row.Reasons = accepted ? null : ContractorDutyStore.Json(errors.ToDictionary());
            row.EvidenceIds = accepted ? uploads : null;
            row.RefusedEvidenceIds = accepted ? null : uploads;
            row.AnsweredBy = input.LinkId;
            row.RecordedAt = now;
        }, trail);
        if (!accepted)
            logger.LogWarning("Engagement {EngagementId}: training result {RequestId} refused: {Reasons}", input.EngagementId, input.RequestId, row.Reasons);
        return new DutyOutcome(accepted);
    }
}
