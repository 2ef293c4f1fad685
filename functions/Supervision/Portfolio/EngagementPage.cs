using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Portfolio;
using Supervision.Domain.Staff;
using Supervision.Engagements;
using Supervision.Handovers;
using Supervision.Http;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.Reports;
using Supervision.Security;

namespace Supervision.Portfolio;

/// <summary>
/// <c>GET /staff/engagements/{engagementId}</c>: one engagement as a staff page (ja/en): its stage, the selection's score,
/// what it waits on from whom and since when, a form for every decision it waits for that the signed-in roles may take,
/// the reports and their reviews, the handover ledger, the end of contract when it has come, and the trail, verified,
/// with who did what and why. Every figure comes from the same reads as the API's; every form posts through
/// <see cref="StaffForms"/> to the API's own handler.
/// </summary>
public sealed class EngagementPage(
    EngagementWaits waits,
    DecisionsWaiting decisions,
    ReportStore reports,
    IncidentStore incidents,
    HandoverStore handovers,
    ClosingStore closing,
    AuditLog audit,
    LiquidPages pages,
    StaffAccess staff,
    StaffCalls calls,
    StaffFormGuard guard,
    EngagementSections sections)
{
    public const string Route = "staff/engagements/{engagementId}";

    public Task<IResult> GetAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken) =>
        RenderAsync(request, engagementId, refused: null, cancellationToken);

    /// <summary>The page, with the form the API refused (if any) shown again with its messages and what was typed.</summary>
    public async Task<IResult> RenderAsync(HttpRequest request, string engagementId, FormRefused? refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        (StaffUser user, EngagementRecord engagement) = (call.User!, call.Engagement!);
        Language language = PortfolioPages.LanguageOf(request);
        IReadOnlyDictionary<string, string> text = PortfolioPageText.For(language);
        string stage = JsonNamingPolicy.CamelCase.ConvertName(engagement.Stage);
        (IReadOnlyList<AuditEntry> trail, ChainVerification verification) = await audit.ListVerifiedAsync(engagementId, cancellationToken);
        IReadOnlyList<ReportRecord> reportRows = await reports.ListAsync(engagementId, cancellationToken);
        IReadOnlyList<IncidentRecord> incidentRows = await incidents.ListAsync(engagementId, cancellationToken);
        ClosureView? closure = engagement.Stage is nameof(EngagementStage.Closing) or nameof(EngagementStage.Closed)
            ? await closing.CloseRecordAsync(engagement, cancellationToken)
            : null;
        bool mayChange = user.Roles.Any(StaffRoles.MayChange);
        bool shown = false;
        List<object> forms = mayChange ? Forms(engagement, await decisions.ForAsync(engagement, incidentRows, reportRows, cancellationToken, closure), user, language, refused, out shown) : [];
        string nonce = PageHeaders.ApplyToStaffPage(request.HttpContext.Response);
        string html = await pages.RenderAsync("staff-engagement", new
        {
            nonce,
            t = text,
            f = EngagementFormText.For(language),
            id = engagementId,
            other_lang_href = $"/staff/engagements/{engagementId}?lang={text["other_lang"]}",
            user = user.Name,
            roles = string.Join(", ", user.Roles.Select(role => role.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal)),
            dev_sign_in = staff.IsDevelopmentSignIn,
            contractor = engagement.ContractorName,
            stage,
            stage_text = PortfolioPageText.Word(language, "stage", stage),
            risk = engagement.RiskTier is null ? null : PortfolioPageText.Word(language, "riskTier", JsonNamingPolicy.CamelCase.ConvertName(engagement.RiskTier)),
            contract_ends = engagement.ContractEndsOn,
            supervisor = engagement.Supervisor,
            score = Score(engagement.Score),
            decided = engagement.Decision is null ? null : new { decision = engagement.Decision, by = engagement.DecidedBy, reason = engagement.DecisionReason },
            waiting = (await waits.ForAsync(engagement, cancellationToken)).Select(wait => new { who = EngagementFormText.Word(language, "who", wait.Who), what = wait.What, due = Jst(wait.DueAt) }).ToList(),
            done = request.Query.ContainsKey("done"),
            may_change = mayChange,
            may_export = user.Roles.Contains(StaffRole.Supervisor) || user.Roles.Contains(StaffRole.Auditor),
            csrf = mayChange ? guard.Issue(user) : null,
            forms,
            refused = refused is null || shown ? null : new
            {
                title = refused.Outcome.Title,
                detail = refused.Outcome.Detail,
                errors = Messages(refused.Outcome),
            },
            reports = reportRows.OrderBy(row => row.Number).Select(row => new
            {
                period = row.Number,
                from = row.PeriodStart,
                to = row.PeriodEnd,
                due = row.DueOn,
                status = EngagementFormText.Word(language, "report", JsonNamingPolicy.CamelCase.ConvertName(row.Status)),
                submitted = Jst(row.SubmittedAt),
                reviewed_by = row.ReviewedBy,
                review_reason = row.ReviewReason,
            }).ToList(),
            ledger = HandoverEndpoints.Ledger(await handovers.ListHandoversAsync(engagementId, cancellationToken)).Select(row => new
            {
                on = row.HandedOverOn,
                tier = row.ToTier,
                items = string.Join("、", row.DataItems),
                records = row.RecordCount.ToString("N0", CultureInfo.InvariantCulture),
            }).ToList(),
            record = await sections.ReadAsync(engagement, incidentRows, language, cancellationToken),
            closure = closure is null ? null : new { missing = closure.Missing, retain_until = closure.RetainUntil },
            trail_intact = verification.IsIntact,
            trail = trail.Reverse().Select(entry => new
            {
                sequence = entry.Sequence,
                at = Jst(entry.At),
                actor = entry.Actor,
                action = entry.Action,
                details = string.Join("; ", entry.Details.Select(detail => $"{detail.Key}: {detail.Value}")),
            }).ToList(),
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, refused?.Outcome.Status ?? StatusCodes.Status200OK);
    }

    /// <summary>
    /// The forms this user may send now: one per decision waiting that their roles take, and the supervisor's termination
    /// of an active engagement. The form the API refused comes back with its messages and what was typed
    /// (<paramref name="shown"/>; a refused form no longer offered has its messages at the top of the page instead).
    /// </summary>
    private static List<object> Forms(EngagementRecord engagement, IReadOnlyList<DecisionWaiting> waiting, StaffUser user, Language language, FormRefused? refused, out bool shown)
    {
        var forms = waiting
            .Where(decision => PendingDecisions.Deciders(decision.Kind).Intersect(user.Roles).Any())
            .Select(decision => (Name: FormOf(decision), decision.Subject, decision.Label, Heading: PortfolioPageText.Word(language, "decision", JsonNamingPolicy.CamelCase.ConvertName(decision.Kind.ToString()))))
            .ToList();
        if (engagement.Stage == nameof(EngagementStage.Active) && user.Roles.Contains(StaffRole.Supervisor))
            forms.Add(("termination", null, null, EngagementFormText.For(language)["termination"]));
        if (user.Roles.Contains(StaffRole.Supervisor) || user.Roles.Contains(StaffRole.Procurement))
            forms.Add(("supervisor-assignment", null, null, EngagementFormText.For(language)["assign_supervisor"]));
        bool Again((string Name, string? Subject, string? Label, string Heading) form) =>
            refused is not null && refused.Form == form.Name && refused.Subject == (form.Subject ?? string.Empty);
        shown = forms.Any(Again);
        return [.. forms.Select(form =>
        {
            bool again = Again(form);
            return (object)new
            {
                name = form.Name,
                anchor = form.Subject is null ? form.Name : $"{form.Name}-{form.Subject}",
                subject = form.Subject,
                label = form.Label ?? form.Subject,
                heading = form.Heading,
                idempotency_key = Guid.NewGuid().ToString("N"),
                problem = again ? new { title = refused!.Outcome.Title, detail = refused.Outcome.Detail } : null,
                errors = again ? Messages(refused!.Outcome) : null,
                values = again ? refused!.Posted.ToDictionary(pair => pair.Key, pair => pair.Value.ToString()) : new Dictionary<string, string>(),
            };
        })];
    }

    private static List<object> Messages(FormOutcome outcome) =>
        [.. outcome.Errors.SelectMany(error => error.Value.Select(message => (object)new { field = error.Key, message }))];

    private static string FormOf(DecisionWaiting decision) => decision.Kind switch
    {
        PendingDecision.Selection => "selection-decision",
        PendingDecision.ReportReview => "report-review",
        PendingDecision.Subcontract => decision.AcknowledgementOnly ? "subcontract-acknowledgement" : "subcontract-decision",
        PendingDecision.IncidentJudgement => "incident-judgement",
        PendingDecision.ReturnReceipt => "return-receipt",
        _ => "close",
    };

    /// <summary>The selection's score as the decision needs it: the percentage, the blocking findings and the reasons for the tier.</summary>
    private static object? Score(string? scoreJson)
    {
        if (scoreJson is null)
            return null;
        using JsonDocument score = JsonDocument.Parse(scoreJson);
        JsonElement root = score.RootElement;
        static List<string> Texts(JsonElement root, string name, string property) => root.TryGetProperty(name, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out JsonElement value) ? value.ToString() : item.ToString())]
            : [];
        return new
        {
            percentage = root.TryGetProperty("percentage", out JsonElement percentage) ? percentage.ToString() : null,
            blocking = Texts(root, "blockingFindings", "description"),
            reasons = Texts(root, "riskReasons", "description"),
        };
    }

    private static string? Jst(DateTimeOffset? at) => JapanCalendar.Minute(at);
}
