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
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Sweep;

/// <summary>A certificate's renewal evidence to ask for (1-5), as the daily sweep found it due.</summary>
/// <param name="DueAt">When the sweep's request is due; a request asked again is due the usual time after it is opened.</param>
/// <param name="TierId">The subcontractor whose certificate it is (3-1: the principal watches every tier); none for the contractor's.</param>
public sealed record CertificateRenewalInput(string EngagementId, Certificate Certificate, CertificateStatus Status, DateWindow? Window, DateTimeOffset? DueAt, int Attempt = 1, string? TierId = null)
{
    /// <summary>One instance per holder, certificate and expiry: a renewed certificate (a new expiry) gets its own.</summary>
    public static string InstanceId(string engagementId, Certificate certificate, string? tierId = null) =>
        $"{engagementId}-renewal-{DailySweep.RenewalRequestId(engagementId, certificate, tierId)}";

    /// <summary>The first request keeps the sweep's id; one asked again after a refused answer derives its own.</summary>
    public string RequestId(string instanceId) =>
        Attempt == 1 ? DailySweep.RenewalRequestId(EngagementId, Certificate, TierId) : RequestIds.Derive(instanceId, $"renewal.{Attempt}");
}

/// <summary>A renewal request the contractor (or the subcontractor <paramref name="TierId"/>) submitted, through which link, for which certificate.</summary>
public sealed record CertificateRenewalSubmission(string EngagementId, string RequestId, string LinkId, Certificate Certificate, string? TierId = null);

/// <summary>
/// Asks the contractor for a certificate's renewal evidence and chases it like every other request (reminders, one
/// escalation). A reported new expiry replaces the certificate on the engagement, so the sweep asks again only when the
/// renewed one comes due; a renewal only filed is asked about again when the old certificate runs out; an answer that
/// cannot be the renewal is refused with its reasons and asked again.
/// </summary>
public sealed class CertificateRenewalWorkflow : TaskOrchestrator<CertificateRenewalInput, string>
{
    /// <summary>The custom status while a filed renewal waits for the old certificate to run out.</summary>
    public const string WaitingForRenewal = "waiting-for-renewal";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, CertificateRenewalInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<CertificateRenewalWorkflow>();
        string requestId = input.RequestId(context.InstanceId);
        OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(nameof(OpenCertificateRenewalRequest), new CertificateRenewalRequest(input, requestId, context.InstanceId), ActivityRetry.Options);
        VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, opened);
        string outcome = await context.CallActivityAsync<string>(
            nameof(RecordCertificateRenewal), new CertificateRenewalSubmission(input.EngagementId, submitted.RequestId, submitted.LinkId, input.Certificate, input.TierId), ActivityRetry.Options);
        if (outcome == CertificateRenewalOutcome.Renewed)
            return outcome;

        if (outcome == CertificateRenewalOutcome.Filed)
        {
            // Filed but not yet renewed: ask for the new expiry once the old certificate has run out (and never sooner than a reminder would).
            DateTime ends = JapanCalendar.EndUtc(input.Certificate.ExpiresOn).UtcDateTime;
            DateTime askAt = ends > context.CurrentUtcDateTime + opened.ReminderInterval ? ends : context.CurrentUtcDateTime + opened.ReminderInterval;
            context.SetCustomStatus(WaitingForRenewal);
            logger.LogInformation("Engagement {EngagementId}: renewal of {Certificate} filed, asking for the new expiry at {AskAt}", input.EngagementId, input.Certificate.Kind, askAt);
            await context.CreateTimer(askAt, CancellationToken.None);
        }
        else
        {
            logger.LogInformation("Engagement {EngagementId}: renewal answer {RequestId} refused, asking again", input.EngagementId, submitted.RequestId);
        }

        context.ContinueAsNew(input with { Attempt = input.Attempt + 1, DueAt = null }, preserveUnprocessedEvents: true);
        return outcome;
    }
}

/// <summary>What <see cref="RecordCertificateRenewal"/> made of an answer.</summary>
public static class CertificateRenewalOutcome
{
    /// <summary>A new expiry was reported and now stands on the engagement.</summary>
    public const string Renewed = "renewed";

    /// <summary>The renewal was filed; the certificate stays as it was until its renewal is reported.</summary>
    public const string Filed = "filed";

    public const string Refused = "refused";
}

/// <summary>The request <see cref="OpenCertificateRenewalRequest"/> opens: the sweep's finding, its id and who waits for it.</summary>
public sealed record CertificateRenewalRequest(CertificateRenewalInput Renewal, string RequestId, string WaitingInstanceId);

/// <summary>Opens the renewal request and mails its link, once however often it runs; records in the trail that it was asked.</summary>
public sealed class OpenCertificateRenewalRequest(RequestMail mail, TierStore tiers, AuditLog audit, TimeProvider time, ILogger<OpenCertificateRenewalRequest> logger)
    : TaskActivity<CertificateRenewalRequest, OpenedRequest>
{
    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, CertificateRenewalRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CertificateRenewalInput renewal = input.Renewal;
        (EngagementRecord engagement, OnboardingRequest onboarding) = await mail.ReadAsync(renewal.EngagementId);
        DateTimeOffset dueAt = renewal.DueAt ?? time.GetUtcNow() + mail.Options.AnswerWithin;
        NewVendorRequest request = Request(renewal, input.RequestId, input.WaitingInstanceId, onboarding.Contact.PreferredLanguage, dueAt);
        if (renewal.TierId is { } tierId)
        {
            TierRecord tier = await tiers.GetAsync(renewal.EngagementId, tierId, CancellationToken.None)
                ?? throw new InvalidOperationException($"Tier {tierId} does not exist.");
            request = Request(renewal, input.RequestId, input.WaitingInstanceId, Languages.TryParse(tier.Language, out Language language) ? language : Language.Ja, dueAt) with
            {
                Recipient = new MailAddressee(tier.ContactEmail, tier.ContactName),
                RecipientOrganisation = tier.CompanyName,
                Subject = tierId,
            };
        }

        var details = new Dictionary<string, string>
        {
            ["requestId"] = input.RequestId,
            ["certificate"] = JsonNamingPolicy.CamelCase.ConvertName(renewal.Certificate.Kind.ToString()),
            ["expiresOn"] = CertificateRenewalText.Date(renewal.Certificate.ExpiresOn),
            ["status"] = JsonNamingPolicy.CamelCase.ConvertName(renewal.Status.ToString()),
            ["holder"] = renewal.TierId ?? Tiers.Contractor,
        };
        if (renewal.Window is { } window)
        {
            details["renewalOpens"] = CertificateRenewalText.Date(window.Opens);
            details["renewalCloses"] = CertificateRenewalText.Date(window.Closes);
        }

        // The entry is committed with the request it records. Not committed now (an earlier attempt opened the request,
        // or the work has ended and nothing was asked), it is appended alone, once by its key, as it always was.
        var requested = new TrailEntry(AuditActors.System, AuditActions.CertificateRenewalRequested, details, $"certificate.{input.RequestId}.renewal-requested");
        (OpenedRequest opened, bool committed) = await mail.OpenAndMailAsync(request, engagement, _ => new Writes([], [requested]));
        if (!committed)
            await audit.AppendAsync(renewal.EngagementId, requested.Actor, requested.Action, requested.Details, CancellationToken.None, requested.EntryKey);
        logger.LogInformation("Engagement {EngagementId}: renewal evidence of {Certificate} expiring {ExpiresOn} ({Status}) requested as {RequestId}",
            renewal.EngagementId, renewal.Certificate.Kind, renewal.Certificate.ExpiresOn, renewal.Status, input.RequestId);
        return opened;
    }

    private static NewVendorRequest Request(CertificateRenewalInput renewal, string requestId, string waitingInstanceId, Language language, DateTimeOffset dueAt)
    {
        string expires = CertificateRenewalText.Date(renewal.Certificate.ExpiresOn);
        (string nameJa, string nameEn) = renewal.Certificate.Kind == CertificateKind.PrivacyMark
            ? ("プライバシーマーク", "Privacy Mark")
            : ("ISMS認証（ISO/IEC 27001）", "ISMS certification (ISO/IEC 27001)");
        return new NewVendorRequest(
            renewal.EngagementId,
            DailySweep.RenewalRequestKind,
            $"{nameJa}の更新状況の提出（有効期限 {expires}）",
            $"Renewal of your {nameEn} (expires {expires})",
            [
                new Question(DailySweep.RenewalFiledOnQuestion, "更新の申請日（更新審査の受審日）", "The date the renewal was filed (or the recertification audit held)", QuestionKind.Date),
                new Question(DailySweep.RenewedExpiresOnQuestion, "更新後の有効期限（更新済みの場合）", "The new expiry date, once renewed", QuestionKind.Date, Required: false),
            ],
            [language == Language.Ja
                ? "更新後の登録証・認証書の写し、または更新申請の受付を示す書類"
                : "A copy of the renewed certificate, or a document showing the renewal application was accepted"],
            language,
            dueAt,
            WaitingInstanceId: waitingInstanceId,
            CompletionEvent: nameof(VendorRequestFulfilled),
            RequestId: requestId);
    }
}

/// <summary>
/// Reads the contractor's renewal answer: a filing date is required; a new expiry, when given, must follow on from the
/// old one (<see cref="CertificateRenewal.Renewed"/>) and then replaces the certificate on the engagement (or the tier),
/// with its trail entry in one transaction. Idempotent: a retry finds the certificate already replaced and the trail
/// entry already written.
/// </summary>
public sealed class RecordCertificateRenewal(EngagementStore engagements, EvidenceStore evidence, AuditLog audit, ILogger<RecordCertificateRenewal> logger)
    : TaskActivity<CertificateRenewalSubmission, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, CertificateRenewalSubmission input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        var errors = new ValidationErrors();
        string? filedOn = submission.Answer(DailySweep.RenewalFiledOnQuestion);
        if (CertificateRenewalText.ParseDate(filedOn) is null)
            errors.Add(DailySweep.RenewalFiledOnQuestion, "is required: a date (yyyy-MM-dd).");
        string? newExpiry = submission.Answer(DailySweep.RenewedExpiresOnQuestion);
        Certificate? renewed = null;
        if (!string.IsNullOrEmpty(newExpiry))
        {
            if (CertificateRenewalText.ParseDate(newExpiry) is not { } expiresOn)
                errors.Add(DailySweep.RenewedExpiresOnQuestion, "must be a date (yyyy-MM-dd).");
            else if ((renewed = CertificateRenewal.Renewed(input.Certificate, expiresOn, out ValidationErrors renewalErrors)) is null)
            {
                foreach ((string field, string[] messages) in renewalErrors.ToDictionary())
                {
                    foreach (string message in messages)
                        errors.Add(field, message);
                }
            }
        }

        string outcome = !errors.IsEmpty ? CertificateRenewalOutcome.Refused : renewed is null ? CertificateRenewalOutcome.Filed : CertificateRenewalOutcome.Renewed;
        var details = new Dictionary<string, string>
        {
            ["requestId"] = input.RequestId,
            ["certificate"] = JsonNamingPolicy.CamelCase.ConvertName(input.Certificate.Kind.ToString()),
            ["expiresOn"] = CertificateRenewalText.Date(input.Certificate.ExpiresOn),
            [DailySweep.RenewalFiledOnQuestion] = filedOn ?? string.Empty,
            [DailySweep.RenewedExpiresOnQuestion] = newExpiry ?? string.Empty,
            ["outcome"] = outcome,
        };
        if (!errors.IsEmpty)
            details["reasons"] = JsonSerializer.Serialize(errors.ToDictionary(), ApiJson.Options);
        var entry = new TrailEntry(
            AuditActors.VendorLink(input.LinkId),
            errors.IsEmpty ? AuditActions.CertificateRenewalEvidenced : AuditActions.CertificateRenewalRefused,
            details,
            $"certificate.{input.RequestId}.{outcome}");

        // A renewal replaces the certificate with the entry that records it, in one transaction. The entry is appended alone
        // when nothing is replaced: the answer was refused or only filed, or the certificate is no longer held as it was.
        bool replaced = false;
        if (renewed is { } replacement && errors.IsEmpty)
        {
            // Null when the certificate is no longer held as it was (a retry that already replaced it).
            TrailEntry? Replace(string? held, Action<string> write)
            {
                List<Certificate> certificates = string.IsNullOrEmpty(held) ? [] : JsonSerializer.Deserialize<List<Certificate>>(held, ApiJson.Options) ?? [];
                replaced = certificates.Contains(input.Certificate);
                if (!replaced)
                    return null;
                write(JsonSerializer.Serialize(CertificateRenewal.Replace(certificates, input.Certificate, replacement), ApiJson.Options));
                return entry;
            }

            if (input.TierId is { } tierId)
                await engagements.UpdateAsync<TierRecord>(input.EngagementId, TierRecord.Key(tierId), row => Replace(row.Certificates, now => row.Certificates = now), CancellationToken.None);
            else
                await engagements.UpdateAsync(input.EngagementId, row => Replace(row.Certificates, now => row.Certificates = now), CancellationToken.None);
        }

        if (!replaced)
            await audit.AppendAsync(input.EngagementId, entry.Actor, entry.Action, entry.Details, CancellationToken.None, entry.EntryKey);
        logger.LogInformation("Engagement {EngagementId}: renewal answer {RequestId} for {Certificate} {Outcome}", input.EngagementId, input.RequestId, input.Certificate.Kind, outcome);
        return outcome;
    }
}

internal static class CertificateRenewalText
{
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date) ? date : null;
}
