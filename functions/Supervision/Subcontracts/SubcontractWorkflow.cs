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
using Supervision.Domain.Subcontracts;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Subcontracts;

/// <summary>Input of <see cref="SubcontractWorkflow"/>; the instance id is <see cref="Tiers.InstanceId"/>.</summary>
public sealed record SubcontractWorkflowInput(string EngagementId, string TierId);

public sealed record TierDueDiligenceInput(string EngagementId, string TierId, string RequestId, string WaitingInstanceId);

public sealed record TierScoring(string EngagementId, string TierId, string RequestId);

/// <summary>After scoring: whether a supervisor still owes the tier a decision or an acknowledgement, and how they are chased.</summary>
public sealed record TierAfterScoring(bool AwaitsStaff, DateTime DecideBy, TimeSpan ReminderInterval, int MaxReminders);

/// <summary>
/// Follows one tier of the chain. The subcontractor answers the same due-diligence questionnaire as a contractor, by its
/// own signed link, chased like every request; its answers are scored against the same criteria. A tier delegated under
/// the principal's criteria is then in force if it meets them, or waits for a supervisor if not. Whatever still waits for
/// a supervisor (an approval, an acknowledgement of a report after the fact) is chased until it is given. A tier rejected,
/// suspended or revoked meanwhile ends the workflow.
/// </summary>
public sealed class SubcontractWorkflow : TaskOrchestrator<SubcontractWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, SubcontractWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<SubcontractWorkflow>();
        OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(
            nameof(OpenSubcontractorDueDiligence),
            new TierDueDiligenceInput(input.EngagementId, input.TierId, RequestIds.Derive(context.InstanceId, "due-diligence"), context.InstanceId),
            ActivityRetry.Options);
        logger.LogInformation("Tier {TierId} of engagement {EngagementId} is waiting for due diligence {RequestId}", input.TierId, input.EngagementId, opened.RequestId);

        Task<VendorRequestFulfilled> answered = RequestChase.FulfilledAsync(context, opened.RequestId);
        Task<TierClosed> closed = context.WaitForExternalEvent<TierClosed>(nameof(TierClosed));
        await Chasing.UntilDoneAsync(context, opened.ToChase(), Task.WhenAny(answered, closed));
        if (closed.IsCompleted)
            return closed.Result.Status;

        // Answered, or the chase found nothing owed any more: the scoring reads which from the request itself.
        TierAfterScoring scored = await context.CallActivityAsync<TierAfterScoring>(
            nameof(ScoreSubcontractor), new TierScoring(input.EngagementId, input.TierId, opened.RequestId), ActivityRetry.Options);
        if (!scored.AwaitsStaff)
            return "scored";

        logger.LogInformation("Tier {TierId} of engagement {EngagementId} is waiting for a supervisor", input.TierId, input.EngagementId);
        Task<TierSettled> settled = context.WaitForExternalEvent<TierSettled>(nameof(TierSettled));
        Chase chase = Chase.Start(
            new ChaseTarget(SubcontractDecisionChase.ChaseKind, input.EngagementId, input.TierId),
            scored.DecideBy,
            new ChasePolicy(scored.ReminderInterval, scored.MaxReminders));
        await Chasing.UntilDoneAsync(context, chase, Task.WhenAny(settled, closed));
        return closed.IsCompleted ? closed.Result.Status : "settled";
    }
}

/// <summary>
/// Opens the subcontractor's due-diligence questionnaire (the criteria in force, addressed to the subcontractor's own
/// contact, about this tier alone) and mails its link once; records the request on the tier.
/// </summary>
public sealed class OpenSubcontractorDueDiligence(TierStore tiers, RequestMail mail, TimeProvider time) : TaskActivity<TierDueDiligenceInput, OpenedRequest>
{
    public const string RequestKind = "subcontractor-due-diligence";

    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, TierDueDiligenceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TierRecord tier = await tiers.GetAsync(input.EngagementId, input.TierId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Tier {input.TierId} does not exist.");
        SelectionCriteria criteria = DefaultSelectionCriteria.V1;
        Language language = Languages.TryParse(tier.Language, out Language parsed) ? parsed : Language.Ja;
        OpenedRequest opened = await mail.OpenAndMailAsync(new NewVendorRequest(
            input.EngagementId,
            RequestKind,
            $"再委託先選定アンケート（{tier.CompanyName}）",
            $"Subcontractor selection questionnaire ({tier.CompanyName})",
            criteria.Questionnaire,
            [.. criteria.Criteria.SelectMany(criterion => criterion.Evidence).Select(evidence => language == Language.Ja ? evidence.TitleJa : evidence.TitleEn)],
            language,
            time.GetUtcNow() + mail.Options.AnswerWithin,
            WaitingInstanceId: input.WaitingInstanceId,
            CompletionEvent: nameof(VendorRequestFulfilled),
            Recipient: new MailAddressee(tier.ContactEmail, tier.ContactName),
            RequestId: input.RequestId,
            Subject: input.TierId,
            RecipientOrganisation: tier.CompanyName));
        await tiers.UpdateAsync(input.EngagementId, input.TierId, row =>
        {
            if (row.DueDiligenceRequestId is not null)
                return false;
            row.DueDiligenceRequestId = input.RequestId;
            return true;
        }, CancellationToken.None);
        return opened;
    }
}

/// <summary>
/// Scores the subcontractor's answers against the criteria it was asked and tiers the risk of the data it receives;
/// decides a tier delegated under criteria (in force if it meets them, else a supervisor's approval); answers whether a
/// supervisor still owes the tier something. The score and the decision are committed on the tier's row with their trail
/// entry, in one transaction. Idempotent: a tier scored already is left as it is, and the trail entry is keyed.
/// </summary>
public sealed class ScoreSubcontractor(
    TierStore tiers, EngagementStore engagements, VendorRequests requests, EvidenceStore evidence, RequestMail mail, IOptions<SubcontractOptions> options, TimeProvider time)
    : TaskActivity<TierScoring, TierAfterScoring>
{
    public override async Task<TierAfterScoring> RunAsync(TaskActivityContext context, TierScoring input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DateTime decideBy = (time.GetUtcNow() + options.Value.DecideWithin).UtcDateTime;
        TierAfterScoring After(TierRecord tier) => new(tier.AwaitsStaff, decideBy, mail.Options.ReminderInterval, mail.Options.MaxReminders);
        TierRecord tier = await tiers.GetAsync(input.EngagementId, input.TierId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Tier {input.TierId} does not exist.");
        if (await requests.GetAsync(input.EngagementId, input.RequestId, CancellationToken.None) is not { Status: nameof(RequestStatus.Fulfilled) })
            return After(tier);

        EngagementRecord engagement = await engagements.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        OnboardingRequest onboarding = engagement.Onboarding();
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        DateOnly today = JapanCalendar.DateAt(time.GetUtcNow());
        (IReadOnlyList<Certificate> certificates, IReadOnlyList<string> refused) = CertificateAnswers.Read(submission.Answers);
        ScoreBreakdown score = SelectionScoring.Score(DefaultSelectionCriteria.V1, submission.Answers, certificates, today);
        RiskAssessment risk = RiskTiering.Tier(onboarding, score, CertificateAnswers.IntendsToSubcontract(submission.Answers), certificates, today);
        bool meets = SubcontractRules.MeetsCriteria(score, risk.Tier);
        string scoreJson = JsonSerializer.Serialize(
            new { criteriaVersion = score.CriteriaVersion, total = score.Total, maxTotal = score.MaxTotal, percentage = score.Percentage, criteria = score.Criteria, blockingFindings = score.BlockingFindings, riskReasons = risk.Reasons, certificatesNotCounted = refused },
            ApiJson.Options);

        tier = (await engagements.UpdateAsync<TierRecord>(input.EngagementId, TierRecord.Key(input.TierId), row =>
        {
            if (row.Score is not null)
                return null;
            row.Score = scoreJson;
            row.ScorePercentage = (double)score.Percentage;
            row.RiskTier = risk.Tier.ToString();
            row.Certificates = JsonSerializer.Serialize(certificates, ApiJson.Options);
            if (row.CurrentStatus == SubcontractStatus.AwaitingCriteriaCheck)
                row.Status = (meets ? SubcontractStatus.InForce : SubcontractStatus.AwaitingApproval).ToString();
            return new TrailEntry(
                AuditActors.System,
                AuditActions.SubcontractScored,
                new Dictionary<string, string>
                {
                    ["tierId"] = input.TierId,
                    ["requestId"] = input.RequestId,
                    ["criteriaVersion"] = score.CriteriaVersion,
                    ["percentage"] = score.Percentage.ToString(CultureInfo.InvariantCulture),
                    ["riskTier"] = risk.Tier.ToString(),
                    ["meetsCriteria"] = meets ? "true" : "false",
                    ["status"] = row.Status,
                },
                $"tier.{input.TierId}.scored");
        }, CancellationToken.None))!;
        return After(tier);
    }
}

/// <summary>
/// Chases the supervisors for a tier that awaits them (an approval, an acknowledgement of a report after the fact): a
/// reminder mailed to them (when an address is configured) and on the trail, then one escalation; neither once the
/// tier no longer awaits them.
/// </summary>
public sealed class SubcontractDecisionChase(TierStore tiers, EngagementStore engagements, RequestMail mail, AuditLog audit) : IChaseSubject
{
    public const string ChaseKind = "subcontract-decision";

    public string Kind => ChaseKind;

    public Task<bool> RemindAsync(ChaseNotice notice, CancellationToken cancellationToken) =>
        TellAsync(notice, AuditActions.SubcontractReminded, $"reminded.{notice.Number.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    public Task<bool> EscalateAsync(ChaseNotice notice, CancellationToken cancellationToken) =>
        TellAsync(notice, AuditActions.SubcontractEscalated, "escalated", cancellationToken);

    private async Task<bool> TellAsync(ChaseNotice notice, string action, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string tierId) = (notice.Target.EngagementId, notice.Target.Id);
        if (await tiers.GetAsync(engagementId, tierId, cancellationToken) is not { AwaitsStaff: true } tier)
            return false;
        EngagementRecord engagement = await engagements.GetAsync(engagementId, cancellationToken)
            ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");
        string awaiting = tier.CurrentStatus == SubcontractStatus.AwaitingApproval ? "approval" : "acknowledgement";
        string mailedTo = await mail.MailSupervisorsAsync(
            MailTemplates.SubcontractPending,
            engagementId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["contractorName"] = engagement.ContractorName,
                ["subcontractorName"] = tier.CompanyName,
                ["depth"] = tier.Depth.ToString(CultureInfo.InvariantCulture),
                ["engagementId"] = engagementId,
                ["what"] = awaiting == "approval" ? "承認" : "受領確認",
                ["requestedOn"] = JapanCalendar.DateAt(tier.RequestedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["reminders"] = notice.Number.ToString(CultureInfo.InvariantCulture),
            },
            $"{engagementId}.tier.{tierId}.{what}");
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            action,
            new Dictionary<string, string> { ["tierId"] = tierId, ["awaiting"] = awaiting, ["number"] = notice.Number.ToString(CultureInfo.InvariantCulture), ["mailedTo"] = mailedTo },
            cancellationToken,
            entryKey: $"tier.{tierId}.{what}");
        return true;
    }
}
