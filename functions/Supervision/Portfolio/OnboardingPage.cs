using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Common;
using Supervision.Domain.Staff;
using Supervision.Engagements;
using Supervision.Http;
using Supervision.Security;

namespace Supervision.Portfolio;

/// <summary>
/// <c>/staff/onboarding</c>: procurement starts a contractor's selection from the browser. The page's form is the body of
/// <c>POST /api/engagements</c> (one dataset; the API takes more), posted through the same guard and the same handler as
/// the engagement page's forms; once accepted, the browser goes to the new engagement's page.
/// </summary>
public sealed class OnboardingPage(EngagementEndpoints engagements, LiquidPages pages, StaffAccess staff, StaffFormGuard guard)
{
    public const string Route = "staff/onboarding";

    private static readonly FormField[] Fields =
    [
        new("contractor.name", FieldKind.Text),
        new("contractor.corporateNumber", FieldKind.Text),
        new("contact.name", FieldKind.Text),
        new("contact.email", FieldKind.Text),
        new("contact.preferredLanguage", FieldKind.Text),
        new("purpose", FieldKind.Text),
        new("datasets[0].name", FieldKind.Text),
        new("datasets[0].items", FieldKind.List),
        new("datasets[0].recordCount", FieldKind.Number),
        new("datasets[0].isSensitive", FieldKind.Checkbox),
        new("datasets[0].leakCausesSecondaryDamage", FieldKind.Checkbox),
        new("plannedStart", FieldKind.Text),
        new("plannedEnd", FieldKind.Text),
    ];

    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffAccessResult access = staff.ToChange(request, [StaffRole.Procurement]);
        return access.Denied ?? await RenderAsync(request, access.User!, outcome: null, posted: null);
    }

    public async Task<IResult> PostAsync(HttpRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (IFormCollection? posted, IResult? refused) = await StaffForms.AdmitAsync(request, [StaffRole.Procurement], staff, guard, cancellationToken);
        if (refused is not null)
            return refused;

        FormOutcome outcome = await StaffForms.SendAsync(request, posted!, Fields, () => engagements.StartAsync(request, durable, cancellationToken));
        if (outcome.Succeeded && outcome.Location is { } location)
        {
            string id = location[(location.LastIndexOf('/') + 1)..];
            return FormPosts.SeeOther($"/staff/engagements/{id}?lang={PortfolioPages.LanguageOf(request).ToString().ToLowerInvariant()}");
        }

        StaffUser? user = staff.ToRead(request, StaffRoles.Readers).User;
        return await RenderAsync(request, user!, outcome, posted);
    }

    private async Task<IResult> RenderAsync(HttpRequest request, StaffUser user, FormOutcome? outcome, IFormCollection? posted)
    {
        Language language = PortfolioPages.LanguageOf(request);
        IReadOnlyDictionary<string, string> text = PortfolioPageText.For(language);
        string nonce = PageHeaders.ApplyToStaffPage(request.HttpContext.Response);
        string html = await pages.RenderAsync("staff-onboarding", new
        {
            nonce,
            t = text,
            f = EngagementFormText.For(language),
            other_lang_href = $"/{Route}?lang={text["other_lang"]}",
            user = user.Name,
            dev_sign_in = staff.IsDevelopmentSignIn,
            csrf = guard.Issue(user),
            idempotency_key = Guid.NewGuid().ToString("N"),
            problem = outcome is null ? null : new { title = outcome.Title, detail = outcome.Detail },
            errors = outcome?.Errors.SelectMany(error => error.Value.Select(message => new { field = error.Key, message })).ToList(),
            values = posted?.ToDictionary(pair => pair.Key, pair => pair.Value.ToString()) ?? [],
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, outcome?.Status ?? StatusCodes.Status200OK);
    }
}
