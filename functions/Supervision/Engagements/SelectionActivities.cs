using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Selection;
using Supervision.Domain.Vendors;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Engagements;

public sealed record DueDiligenceInput(string EngagementId);

/// <summary>The opened questionnaire and the schedule the workflow chases it on; from history, so replay-safe.</summary>
public sealed record DueDiligenceOpened(string RequestId, DateTime DueAt, TimeSpan ReminderInterval, int MaxReminders);

public sealed record DueDiligenceReminder(string EngagementId, string RequestId, int Number);

public sealed record DueDiligenceScoring(string EngagementId, string RequestId);

/// <summary>Raised by a supervisor's decision on the selection (1-4).</summary>
public sealed record SelectionDecided(bool Approved, string Reason, string DecidedBy);

/// <summary>What the selection stage sends and reads, shared by its activities.</summary>
public sealed class DueDiligenceMail(EngagementStore store, Mailer mailer, MailLogStore log, IOptions<SelectionOptions> options)
{
    public const string RequestKind = "due-diligence";

    public SelectionOptions Options => options.Value;

    public async Task<(EngagementRecord Record, OnboardingRequest Request)> ReadAsync(string engagementId)
    {
        EngagementRecord record = await store.GetAsync(engagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");
        return (record, JsonSerializer.Deserialize<OnboardingRequest>(record.Request, ApiJson.Options)!);
    }

    public Task<MailOutcome> SendAsync(string template, string engagementId, OnboardingRequest onboarding, IssuedLink link, DateTimeOffset dueAt, string key, IReadOnlyDictionary<string, string>? extra = null)
    {
        var model = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["contactName"] = onboarding.Contact.Name,
            ["contractorName"] = onboarding.Contractor.Name,
            ["principalName"] = options.Value.PrincipalName,
            ["link"] = link.Url.ToString(),
            ["dueDate"] = DueDate(dueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        foreach ((string name, string value) in extra ?? new Dictionary<string, string>())
            model[name] = value;
        return mailer.SendAsync(
            new MailRequest(template, onboarding.Contact.PreferredLanguage, new MailAddressee(onboarding.Contact.Email, onboarding.Contact.Name), model, key, engagementId),
            CancellationToken.None);
    }

    /// <summary>True when the mail of <paramref name="key"/> was already sent or is in flight: a retry issues no new link for it.</summary>
    public async Task<bool> AlreadySentAsync(string engagementId, string key) =>
        await log.GetAsync(engagementId, key, CancellationToken.None) is { } row && row.CurrentStatus != MailStatus.Failed;

    /// <summary>The calendar day (Japan time) the answers are due.</summary>
    public static DateOnly DueDate(DateTimeOffset dueAt) => DateOnly.FromDateTime(dueAt.ToOffset(Reminders.JapanOffset).DateTime);
}

/// <summary>
/// Opens the due-diligence questionnaire of the criteria in force and mails its link. Idempotent by engagement id:
/// the request id is recorded on the engagement row, a retry finds it and sends nothing twice (the mail's key).
/// </summary>
public sealed class OpenDueDiligence(EngagementStore store, VendorRequests requests, DueDiligenceMail mail, TimeProvider time, ILogger<OpenDueDiligence> logger)
    : TaskActivity<DueDiligenceInput, DueDiligenceOpened>
{
    public override async Task<DueDiligenceOpened> RunAsync(TaskActivityContext context, DueDiligenceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SelectionCriteria criteria = DefaultSelectionCriteria.V1;
        (EngagementRecord record, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        IssuedLink? link = null;
        if (record.DueDiligenceRequestId is null)
        {
            DateTimeOffset dueAt = time.GetUtcNow() + mail.Options.AnswerWithin;
            Language language = onboarding.Contact.PreferredLanguage;
            IssuedLink opened = await requests.OpenAsync(
                new NewVendorRequest(
                    input.EngagementId,
                    DueDiligenceMail.RequestKind,
                    "業務委託先選定アンケート",
                    "Contractor selection questionnaire",
                    criteria.Questionnaire,
                    [.. criteria.Criteria.SelectMany(criterion => criterion.Evidence).Select(evidence => language == Language.Ja ? evidence.TitleJa : evidence.TitleEn)],
                    language,
                    dueAt,
                    WaitingInstanceId: input.EngagementId,
                    CompletionEvent: nameof(VendorRequestFulfilled)),
                CancellationToken.None);
            link = opened;
            record = await store.UpdateAsync(input.EngagementId, row =>
            {
                if (row.DueDiligenceRequestId is not null)
                    return false;
                row.DueDiligenceRequestId = opened.RequestId;
                row.DueDiligenceDueAt = dueAt;
                row.CriteriaVersion = criteria.Version;
                return true;
            }, CancellationToken.None);
        }

        DateTimeOffset due = record.DueDiligenceDueAt!.Value;
        string key = $"{input.EngagementId}.dd.request";
        bool sent = await mail.AlreadySentAsync(input.EngagementId, key);
        if (!sent)
        {
            // A retry after the request was recorded (or a race lost to another attempt): a fresh link of the recorded request.
            if (link is null || link.RequestId != record.DueDiligenceRequestId)
                link = await requests.IssueLinkAsync(input.EngagementId, record.DueDiligenceRequestId!, LinkPurpose.Respond, CancellationToken.None);
            await mail.SendAsync(MailTemplates.DueDiligenceRequest, input.EngagementId, onboarding, link, due, key);
        }

        logger.LogInformation("Due diligence {RequestId} opened for engagement {EngagementId} with criteria {CriteriaVersion}",
            record.DueDiligenceRequestId, input.EngagementId, record.CriteriaVersion);
        return new DueDiligenceOpened(record.DueDiligenceRequestId!, due.UtcDateTime, mail.Options.ReminderInterval, mail.Options.MaxReminders);
    }
}

/// <summary>Reminds the contact with a new link, unless the request is no longer open. Answers whether it reminded.</summary>
public sealed class RemindDueDiligence(VendorRequests requests, DueDiligenceMail mail, TimeProvider time, ILogger<RemindDueDiligence> logger)
    : TaskActivity<DueDiligenceReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DueDiligenceReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        VendorRequestRecord? request = await requests.GetAsync(input.EngagementId, input.RequestId, CancellationToken.None);
        if (request is not { Status: nameof(Domain.Vendors.RequestStatus.Open) })
        {
            logger.LogInformation("Reminder {Number} of request {RequestId} not sent: it is no longer open", input.Number, input.RequestId);
            return false;
        }

        string key = $"{input.EngagementId}.dd.reminder.{input.Number.ToString(CultureInfo.InvariantCulture)}";
        if (await mail.AlreadySentAsync(input.EngagementId, key))
            return true;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        DateTimeOffset dueAt = request.DueAt ?? time.GetUtcNow();
        IssuedLink link = await requests.IssueLinkAsync(input.EngagementId, input.RequestId, LinkPurpose.Respond, CancellationToken.None);
        string overdue = Reminders.DaysOverdue(DueDiligenceMail.DueDate(dueAt), time.GetUtcNow()).ToString(CultureInfo.InvariantCulture);
        await mail.SendAsync(MailTemplates.Reminder, input.EngagementId, onboarding, link, dueAt, key,
            new Dictionary<string, string> { ["daysOverdue"] = overdue });
        logger.LogInformation("Reminder {Number} of request {RequestId} sent with link {LinkId}", input.Number, input.RequestId, link.LinkId);
        return true;
    }
}

/// <summary>Escalates an overdue questionnaire to the supervisors: mail if an address is configured, always the audit trail.</summary>
public sealed class EscalateDueDiligence(VendorRequests requests, DueDiligenceMail mail, Mailer mailer, AuditLog audit, ILogger<EscalateDueDiligence> logger)
    : TaskActivity<DueDiligenceReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DueDiligenceReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        VendorRequestRecord? request = await requests.GetAsync(input.EngagementId, input.RequestId, CancellationToken.None);
        if (request is not { Status: nameof(Domain.Vendors.RequestStatus.Open) })
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        string dueDate = request.DueAt is { } dueAt ? DueDiligenceMail.DueDate(dueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
        string reminders = input.Number.ToString(CultureInfo.InvariantCulture);
        string supervisor = mail.Options.SupervisorEmail;
        if (!string.IsNullOrWhiteSpace(supervisor))
        {
            await mailer.SendAsync(
                new MailRequest(
                    MailTemplates.Escalation,
                    Language.Ja,
                    new MailAddressee(supervisor),
                    new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["contractorName"] = onboarding.Contractor.Name,
                        ["engagementId"] = input.EngagementId,
                        ["dueDate"] = dueDate,
                        ["reminders"] = reminders,
                    },
                    $"{input.EngagementId}.dd.escalation",
                    input.EngagementId),
                CancellationToken.None);
        }

        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.SelectionEscalated,
            new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                ["dueDate"] = dueDate,
                ["reminders"] = reminders,
                ["mailedTo"] = string.IsNullOrWhiteSpace(supervisor) ? "none" : "supervisors",
            },
            CancellationToken.None,
            entryKey: "selection.escalated");
        logger.LogWarning("Due diligence {RequestId} of engagement {EngagementId} is overdue after {Reminders} reminders: escalated",
            input.RequestId, input.EngagementId, input.Number);
        return true;
    }
}

/// <summary>
/// Scores the submitted answers (the latest <c>answers.json</c> the application stored for the request) against the
/// criteria the contractor was asked, tiers the risk, and records both on the engagement. Idempotent: the same answers
/// give the same score, and the trail entry is keyed.
/// </summary>
public sealed class ScoreDueDiligence(EngagementStore store, EvidenceStore evidence, AuditLog audit, TimeProvider time, ILogger<ScoreDueDiligence> logger)
    : TaskActivity<DueDiligenceScoring, string>
{
    public const string AnswersFileName = "answers.json";

    public override async Task<string> RunAsync(TaskActivityContext context, DueDiligenceScoring input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EngagementRecord record = await store.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        OnboardingRequest onboarding = JsonSerializer.Deserialize<OnboardingRequest>(record.Request, ApiJson.Options)!;

        IReadOnlyList<EvidenceRecord> items = await evidence.ListAsync(input.EngagementId, input.RequestId, CancellationToken.None);
        EvidenceRecord? answersEvidence = items
            .Where(item => item.UploaderLinkId == EvidenceStore.SystemUploader && item.OriginalFileName == AnswersFileName && item.EvidenceBlobName is not null)
            .OrderByDescending(item => item.CreatedAt)
            .FirstOrDefault();
        var answers = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (answersEvidence is not null)
        {
            BinaryData document = await evidence.ReadAsync(answersEvidence, CancellationToken.None);
            using JsonDocument stored = JsonDocument.Parse(document.ToMemory());
            if (stored.RootElement.TryGetProperty("answers", out JsonElement given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty answer in given.EnumerateObject())
                    answers[answer.Name] = answer.Value.ValueKind == JsonValueKind.String ? answer.Value.GetString() : null;
            }
        }

        SelectionCriteria criteria = DefaultSelectionCriteria.V1;
        DateOnly today = DueDiligenceMail.DueDate(time.GetUtcNow());
        ScoreBreakdown score = SelectionScoring.Score(criteria, answers, [], today);
        RiskAssessment risk = RiskTiering.Tier(onboarding, score, intendsToSubcontract: false, [], today);
        string scoreJson = JsonSerializer.Serialize(
            new { criteriaVersion = score.CriteriaVersion, total = score.Total, maxTotal = score.MaxTotal, percentage = score.Percentage, criteria = score.Criteria, blockingFindings = score.BlockingFindings, riskReasons = risk.Reasons },
            ApiJson.Options);
        string tier = risk.Tier.ToString();

        await store.UpdateAsync(input.EngagementId, row =>
        {
            if (row.Score == scoreJson && row.RiskTier == tier)
                return false;
            row.Score = scoreJson;
            row.RiskTier = tier;
            row.CriteriaVersion ??= criteria.Version;
            return true;
        }, CancellationToken.None);

        string evidenceIds = string.Join(',', items.Where(item => item.EvidenceBlobName is not null).Select(item => item.EvidenceId).Order(StringComparer.Ordinal));
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.SelectionScored,
            new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                ["criteriaVersion"] = score.CriteriaVersion,
                ["total"] = score.Total.ToString(CultureInfo.InvariantCulture),
                ["percentage"] = score.Percentage.ToString(CultureInfo.InvariantCulture),
                ["riskTier"] = tier,
                ["evidenceIds"] = evidenceIds,
            },
            CancellationToken.None,
            entryKey: "selection.scored");
        logger.LogInformation("Engagement {EngagementId} scored {Percentage} % against criteria {CriteriaVersion}: risk {RiskTier}",
            input.EngagementId, score.Percentage, score.CriteriaVersion, tier);
        return tier;
    }
}
