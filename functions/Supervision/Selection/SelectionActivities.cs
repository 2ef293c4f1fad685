using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Selection;
using Supervision.Domain.Vendors;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Selection;

public sealed record DueDiligenceInput(string EngagementId);

public sealed record DueDiligenceScoring(string EngagementId, string RequestId);

/// <summary>Raised by a supervisor's decision on the selection (1-4).</summary>
public sealed record SelectionDecided(bool Approved, string Reason, string DecidedBy);

/// <summary>
/// Opens the due-diligence questionnaire of the criteria in force and mails its link. Idempotent by engagement id:
/// the request id is recorded on the engagement row, a retry finds it and sends nothing twice (the mail's key).
/// </summary>
public sealed class OpenDueDiligence(EngagementStore store, VendorRequests requests, RequestMail mail, TimeProvider time, ILogger<OpenDueDiligence> logger)
    : TaskActivity<DueDiligenceInput, OpenedRequest>
{
    public const string RequestKind = "due-diligence";

    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, DueDiligenceInput input)
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
                    RequestKind,
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

        string requestId = record.DueDiligenceRequestId!;
        DateTimeOffset due = record.DueDiligenceDueAt!.Value;
        string key = $"{input.EngagementId}.dd.request";
        if (!await mail.AlreadySentAsync(input.EngagementId, key))
        {
            // A retry after the request was recorded (or a race lost to another attempt): a fresh link of the recorded request.
            if (link is null || link.RequestId != requestId)
                link = await requests.IssueLinkAsync(input.EngagementId, requestId, LinkPurpose.Respond, CancellationToken.None);
            VendorRequestRecord request = await requests.GetAsync(input.EngagementId, requestId, CancellationToken.None)
                ?? throw new InvalidOperationException($"Request {requestId} does not exist.");
            await mail.SendAsync(MailTemplates.DueDiligenceRequest, request, onboarding, link, due, key);
        }

        logger.LogInformation("Due diligence {RequestId} opened for engagement {EngagementId} with criteria {CriteriaVersion}",
            requestId, input.EngagementId, record.CriteriaVersion);
        return mail.Opened(input.EngagementId, requestId, due);
    }
}

/// <summary>
/// Scores the submitted answers (the latest <c>answers.json</c> the application stored for the request) against the
/// criteria the contractor was asked, tiers the risk, and records both on the engagement with the trail entry, in one
/// transaction. Idempotent: the same answers give the same score, and the trail entry is keyed.
/// </summary>
public sealed class ScoreDueDiligence(EngagementStore store, EvidenceStore evidence, TimeProvider time, ILogger<ScoreDueDiligence> logger)
    : TaskActivity<DueDiligenceScoring, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, DueDiligenceScoring input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EngagementRecord record = await store.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        OnboardingRequest onboarding = record.Onboarding();

        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        IReadOnlyDictionary<string, string?> answers = submission.Answers;

        SelectionCriteria criteria = DefaultSelectionCriteria.V1;
        DateOnly today = RequestMail.DueDate(time.GetUtcNow());
        (IReadOnlyList<Certificate> certificates, IReadOnlyList<string> refusedCertificates) = CertificateAnswers.Read(answers);
        ScoreBreakdown score = SelectionScoring.Score(criteria, answers, certificates, today);
        RiskAssessment risk = RiskTiering.Tier(onboarding, score, CertificateAnswers.IntendsToSubcontract(answers), certificates, today);
        string scoreJson = JsonSerializer.Serialize(
            new
            {
                criteriaVersion = score.CriteriaVersion,
                total = score.Total,
                maxTotal = score.MaxTotal,
                percentage = score.Percentage,
                criteria = score.Criteria,
                blockingFindings = score.BlockingFindings,
                riskReasons = risk.Reasons,
                certificatesNotCounted = refusedCertificates,
            },
            ApiJson.Options);
        string tier = risk.Tier.ToString();
        string certificatesJson = JsonSerializer.Serialize(certificates, ApiJson.Options);

        string evidenceIds = string.Join(',', submission.All.Select(item => item.EvidenceId).Order(StringComparer.Ordinal));
        var scored = new TrailEntry(
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
            "selection.scored");
        await store.UpdateAsync(input.EngagementId, row =>
        {
            if (row.Score == scoreJson && row.RiskTier == tier && row.Certificates == certificatesJson)
                return null;
            row.Score = scoreJson;
            row.RiskTier = tier;
            row.Certificates = certificatesJson;
            row.CriteriaVersion ??= criteria.Version;
            return scored;
        }, CancellationToken.None);
        logger.LogInformation("Engagement {EngagementId} scored {Percentage} % against criteria {CriteriaVersion}: risk {RiskTier}",
            input.EngagementId, score.Percentage, score.CriteriaVersion, tier);
        return tier;
    }
}
