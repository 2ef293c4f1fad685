using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Staff;
using Supervision.Engagements;
using Supervision.Handovers;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Portfolio;

/// <summary>
/// <c>GET /staff/engagements/{engagementId}</c>: one engagement as a staff page (ja/en): its stage, what it waits on from
/// whom and since when, the handover ledger, the end of contract when it has come, and the trail, verified, with who did
/// what and why. Read-only for now; every figure comes from the same reads as the API's.
/// </summary>
public sealed class EngagementPage(
    EngagementStore engagements, EngagementWaits waits, HandoverStore handovers, ClosingStore closing, AuditLog audit, LiquidPages pages, StaffAccess staff)
{
    public const string Route = "staff/engagements/{engagementId}";

    public async Task<IResult> GetAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffAccessResult access = staff.ToRead(request, StaffRoles.Readers);
        if (access.Denied is not null)
            return access.Denied;
        if (!EngagementIds.IsWellFormed(engagementId) || await engagements.GetAsync(engagementId, cancellationToken) is not { } engagement)
            return Problems.NotFound("The engagement");

        Language language = PortfolioPages.LanguageOf(request);
        IReadOnlyDictionary<string, string> text = PortfolioPageText.For(language);
        string stage = JsonNamingPolicy.CamelCase.ConvertName(engagement.Stage);
        IReadOnlyList<AuditEntry> trail = await audit.ListAsync(engagementId, cancellationToken);
        ChainVerification verification = await audit.VerifyAsync(engagementId, cancellationToken);
        ClosureView? closure = engagement.Stage is nameof(EngagementStage.Closing) or nameof(EngagementStage.Closed)
            ? await closing.CloseRecordAsync(engagement, cancellationToken)
            : null;
        string nonce = PageHeaders.Apply(request.HttpContext.Response);
        string html = await pages.RenderAsync("staff-engagement", new
        {
            nonce,
            t = text,
            id = engagementId,
            other_lang_href = $"/staff/engagements/{engagementId}?lang={text["other_lang"]}",
            user = access.User!.Name,
            roles = string.Join(", ", access.User.Roles.Select(role => role.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal)),
            dev_sign_in = staff.IsDevelopmentSignIn,
            contractor = engagement.ContractorName,
            stage,
            stage_text = PortfolioPageText.Word(language, "stage", stage),
            risk = engagement.RiskTier is null ? null : PortfolioPageText.Word(language, "riskTier", JsonNamingPolicy.CamelCase.ConvertName(engagement.RiskTier)),
            contract_ends = engagement.ContractEndsOn,
            waiting = (await waits.ForAsync(engagement, cancellationToken)).Select(wait => new { who = wait.Who, what = wait.What, due = Jst(wait.DueAt) }).ToList(),
            ledger = HandoverEndpoints.Ledger(await handovers.ListHandoversAsync(engagementId, cancellationToken)).Select(row => new
            {
                on = row.HandedOverOn,
                tier = row.ToTier,
                items = string.Join("、", row.DataItems),
                records = row.RecordCount.ToString("N0", CultureInfo.InvariantCulture),
            }).ToList(),
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
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static string? Jst(DateTimeOffset? at) => JapanCalendar.Minute(at);
}
