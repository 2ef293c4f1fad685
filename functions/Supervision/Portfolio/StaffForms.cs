using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Primitives;
using Supervision.Closing;
using Supervision.Domain.Staff;
using Supervision.Engagements;
using Supervision.Http;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.Reports;
using Supervision.Security;
using Supervision.Subcontracts;

namespace Supervision.Portfolio;

/// <summary>A staff form's call of its API handler: the engagement, what the form is about (a period, a tier, an incident), the engine.</summary>
public readonly record struct FormCall(HttpRequest Request, string EngagementId, string Subject, DurableTaskClient Durable, CancellationToken Cancellation);

/// <summary>One form of the engagement page: its fields (by their place in the API's body) and the API handler it posts to.</summary>
public sealed record StaffForm(IReadOnlyList<FormField> Fields, Func<FormCall, Task<IResult>> Send);

/// <summary>
/// <c>POST /staff/engagements/{engagementId}/forms/{form}</c>: the engagement page's forms. Each is checked for
/// cross-site forgery (<see cref="StaffFormGuard"/>) before anything reads it, then turned into the API's own JSON body
/// and handed to the API's own handler, so the rules, roles, idempotency and errors are the API's. Success goes back to
/// the page (303, so a reload does not post again); a refusal shows the page again with the API's problem as messages
/// and the answers kept.
/// </summary>
public sealed class StaffForms
{
    public const string Route = "staff/engagements/{engagementId}/forms/{form}";

    /// <summary>The hidden field that says what a form is about (a report's period, a tier, an incident).</summary>
    public const string SubjectField = "subject";

    /// <summary>The hidden field each rendering of a form gets afresh, sent as the API's <c>Idempotency-Key</c>: a double click posts once.</summary>
    public const string IdempotencyField = "idempotencyKey";

    private static readonly FormField Reason = new("reason", FieldKind.Text);

    private readonly StaffAccess staff;
    private readonly StaffFormGuard guard;
    private readonly EngagementPage page;

    public StaffForms(
        StaffAccess staff,
        StaffFormGuard guard,
        EngagementPage page,
        EngagementEndpoints engagements,
        SupervisorEndpoints supervisors,
        ReportEndpoints reports,
        SubcontractEndpoints subcontracts,
        IncidentEndpoints incidents,
        PrincipalReturnEndpoints returns,
        ClosingEndpoints closing)
    {
        this.staff = staff;
        this.guard = guard;
        this.page = page;
        Forms = new Dictionary<string, StaffForm>(StringComparer.Ordinal)
        {
            ["selection-decision"] = new([new("approve", FieldKind.YesNo), Reason], call => engagements.DecideAsync(call.Request, call.EngagementId, call.Durable, call.Cancellation)),
            ["report-review"] = new([new("accept", FieldKind.YesNo), Reason], call => reports.ReviewAsync(call.Request, call.EngagementId, call.Subject, call.Durable, call.Cancellation)),
            ["subcontract-decision"] = new([new("approved", FieldKind.YesNo), Reason], call => subcontracts.DecideAsync(call.Request, call.EngagementId, call.Subject, call.Durable, call.Cancellation)),
            ["subcontract-acknowledgement"] = new([new("note", FieldKind.Text)], call => subcontracts.AcknowledgeAsync(call.Request, call.EngagementId, call.Subject, call.Durable, call.Cancellation)),
            ["incident-judgement"] = new([new("reportable", FieldKind.YesNo), Reason], call => incidents.JudgeAsync(call.Request, call.EngagementId, call.Subject, call.Durable, call.Cancellation)),
            ["return-receipt"] = new([new("tier", FieldKind.Text), new("receivedOn", FieldKind.Text)], call => returns.AcknowledgeReceiptAsync(call.Request, call.EngagementId, call.Durable, call.Cancellation)),
            ["supervisor-assignment"] = new([new("supervisor", FieldKind.Text), Reason], call => supervisors.AssignAsync(call.Request, call.EngagementId, call.Durable, call.Cancellation)),
            ["termination"] = new([Reason], call => closing.TerminateAsync(call.Request, call.EngagementId, call.Durable, call.Cancellation)),
            ["close"] = new([Reason], call => closing.CloseAsync(call.Request, call.EngagementId, call.Cancellation)),
        };
    }

    public IReadOnlyDictionary<string, StaffForm> Forms { get; }

    public async Task<IResult> PostAsync(HttpRequest request, string engagementId, string form, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (IFormCollection? posted, IResult? refused) = await AdmitAsync(request, [StaffRole.Procurement, StaffRole.Supervisor], staff, guard, cancellationToken);
        if (refused is not null)
            return refused;
        if (!Forms.TryGetValue(form, out StaffForm? chosen))
            return Problems.NotFound("The form");

        FormOutcome outcome = await SendAsync(request, posted!, chosen.Fields, () => chosen.Send(new FormCall(request, engagementId, posted![SubjectField].ToString(), durable, cancellationToken)));
        string language = PortfolioPages.LanguageOf(request).ToString().ToLowerInvariant();
        return outcome.Succeeded
            ? FormPosts.SeeOther($"/staff/engagements/{Uri.EscapeDataString(engagementId)}?lang={language}&done={Uri.EscapeDataString(form)}#done")
            : await page.RenderAsync(request, engagementId, new FormRefused(form, posted![SubjectField].ToString(), outcome, posted), cancellationToken);
    }

    /// <summary>
    /// What every staff form post passes before its content is read: a member of staff in one of <paramref name="roles"/>
    /// (the API's handler then checks its own), a form of a sane size, sent from this site's own page with its unexpired
    /// token. Answers the form, or the refusal (nothing read, nothing written).
    /// </summary>
    internal static async Task<(IFormCollection? Form, IResult? Refused)> AdmitAsync(
        HttpRequest request, IReadOnlyCollection<StaffRole> roles, StaffAccess staff, StaffFormGuard guard, CancellationToken cancellationToken)
    {
        StaffAccessResult access = staff.ToChange(request, roles);
        if (access.Denied is not null)
            return (null, access.Denied);
        (IFormCollection? form, IResult? unreadable) = await FormPosts.ReadAsync(request, cancellationToken);
        if (unreadable is not null)
            return (null, unreadable);

        FormRefusal refusal = guard.Check(request, form![StaffFormGuard.TokenField], access.User!);
        return refusal == FormRefusal.None
            ? (form, null)
            : (null, TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "The form was not accepted.",
                detail: refusal switch
                {
                    FormRefusal.OtherOrigin => "It was not sent from this site's own page.",
                    FormRefusal.Expired => "The page was open too long. Open it again and send the form from there.",
                    _ => "It did not carry this site's token for you. Open the page again and send the form from there.",
                }));
    }

    /// <summary>Hands the form to its API handler as the API's JSON body, with the form's idempotency key, and reads the answer.</summary>
    internal static async Task<FormOutcome> SendAsync(HttpRequest request, IFormCollection form, IEnumerable<FormField> fields, Func<Task<IResult>> send)
    {
        request.Headers.Remove(StaffInput.IdempotencyKeyHeader);
        if (form.TryGetValue(IdempotencyField, out StringValues key) && !StringValues.IsNullOrEmpty(key))
            request.Headers[StaffInput.IdempotencyKeyHeader] = key;
        FormPosts.SendAsJson(request, FormPosts.ToBody(form, fields));
        return FormPosts.Read(await send());
    }
}

/// <summary>A form the API refused: which one, about what, the problem, and what was typed (to show it again).</summary>
public sealed record FormRefused(string Form, string Subject, FormOutcome Outcome, IFormCollection Posted);
