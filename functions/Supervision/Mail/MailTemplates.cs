using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Supervision.Domain.Common;
using Supervision.Http;

namespace Supervision.Mail;

/// <summary>A mail's three parts after rendering.</summary>
public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// The mail templates, in Liquid (rendered by Fluid) and embedded in the assembly: one file per part,
/// <c>Mail/Templates/{name}.{ja|en}.{subject|text|html}.liquid</c>. Model values are HTML-encoded in the HTML part
/// only; the subject is made one line. A variable a template uses but the model lacks is an error, not a blank.
/// Dates are formatted by the templates (<c>{{ dueDate | date: "%Y年%-m月%-d日" }}</c>) in the language's culture.
/// </summary>
public sealed partial class MailTemplates
{
    /// <summary>Asks the contractor contact to answer the selection questionnaire.
    /// Model: contactName, contractorName, principalName, link, dueDate (yyyy-MM-dd).</summary>
    public const string DueDiligenceRequest = "due-diligence-request";

    /// <summary>Asks a contractor's person for anything else a stage needs (a signed contract, an acknowledgement, a report).
    /// Model: contactName, contractorName, principalName, requestTitle, link, dueDate (yyyy-MM-dd).</summary>
    public const string VendorRequest = "vendor-request";

    /// <summary>Any request, reminded. Model: that of <see cref="VendorRequest"/> and daysOverdue.</summary>
    public const string Reminder = "reminder";

    /// <summary>To the supervisors: a request is overdue after every reminder. Model: contractorName, engagementId, requestTitle, dueDate, reminders.</summary>
    public const string Escalation = "escalation";

    /// <summary>To the contractor's contact: paper or media it took out (7-3) is past its due date.
    /// Model: contactName, contractorName, principalName, itemDescription, checkedOutOn, dueBack (yyyy-MM-dd), daysOverdue.</summary>
    public const string CheckoutOverdue = "checkout-overdue";
    /// <summary>To the contractor's contact: a corrective action from an inspection is past its due date. Model: contactName,
    /// contractorName, principalName, actionDescription, owner, inspectionDate, dueDate (yyyy-MM-dd), daysOverdue.</summary>
    public const string CorrectiveActionOverdue = "corrective-action-overdue";

    /// <summary>To a tier's contact: a link to request its subcontractors (3-2). Model: contactName, contractorName, principalName, link, expiresAt (yyyy-MM-dd).</summary>
    public const string SubcontractLink = "subcontract-link";

    /// <summary>To the supervisors: a subcontract awaits their approval or acknowledgement. Model: contractorName,
    /// subcontractorName, depth, engagementId, what, requestedOn, reminders.</summary>
    public const string SubcontractPending = "subcontract-pending";

    /// <summary>To the supervisors, at once: an incident was reported. Model: contractorName, engagementId, incidentId, kind,
    /// description, peopleAffected, tier, reportable, reasons, noticeLate, deadlines.</summary>
    public const string IncidentReported = "incident-reported";

    /// <summary>To the supervisors: a report to the authority is due (stage 督促) or about to lapse (期限切迫).
    /// Model: engagementId, incidentId, report, dueDate, stage.</summary>
    public const string IncidentReportDue = "incident-report-due";

    /// <summary>To a tier's contact: a link to report incidents (6-1). Model: that of <see cref="SubcontractLink"/>.</summary>
    public const string IncidentLink = "incident-link";

    /// <summary>To the contractor's contact, ahead of the planned end: what it and its subcontractors will owe back.
    /// Model: contactName, contractorName, principalName, endsOn (yyyy-MM-dd), holdings (one line per tier), checkoutsOut.</summary>
    public const string EndNotice = "end-notice";

    private const string ResourcePrefix = "Supervision.Mail.Templates.";


    /// <summary>Encodes what HTML needs encoded (&lt;, &gt;, &amp;, quotes) and leaves Japanese as it is.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly TimeZoneInfo JapanTime =
        TimeZoneInfo.CreateCustomTimeZone("Japan", TimeSpan.FromHours(9), "Japan Standard Time", "Japan Standard Time");

    private static readonly TemplateOptions Japanese = CreateOptions(CultureInfo.GetCultureInfo("ja-JP"));

    private static readonly TemplateOptions English = CreateOptions(CultureInfo.GetCultureInfo("en-US"));

    private readonly ConcurrentDictionary<string, IFluidTemplate> parsed = new();

    public static IReadOnlyList<string> Names { get; } =
        [DueDiligenceRequest, VendorRequest, Reminder, Escalation, CheckoutOverdue, CorrectiveActionOverdue, SubcontractLink, SubcontractPending,
         IncidentReported, IncidentReportDue, IncidentLink, EndNotice];

    public RenderedMail Render(string name, Language language, IReadOnlyDictionary<string, string> model)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(model);
        if (!Names.Contains(name))
            throw new ArgumentException($"There is no mail template named '{name}'.", nameof(name));

        return new RenderedMail(
            OneLine(RenderPart(name, language, "subject", model, NullEncoder.Default)),
            RenderPart(name, language, "text", model, NullEncoder.Default),
            RenderPart(name, language, "html", model, Html));
    }

    private string RenderPart(string name, Language language, string part, IReadOnlyDictionary<string, string> model, TextEncoder encoder)
    {
        IFluidTemplate template = parsed.GetOrAdd($"{ResourcePrefix}{name}.{language.Code()}.{part}.liquid", Load);
        var context = new TemplateContext(language == Language.Ja ? Japanese : English);
        foreach ((string key, string value) in model)
            context.SetValue(key, value);
        try
        {
            return template.Render(context, encoder);
        }
        catch (FluidException e)
        {
            throw new InvalidOperationException($"Mail template {name} ({language.Code()}, {part}) cannot be rendered with this model: {e.Message}", e);
        }
    }

    private static IFluidTemplate Load(string resource) => LiquidPages.ParseEmbedded(resource);

    private static TemplateOptions CreateOptions(CultureInfo culture) => new()
    {
        CultureInfo = culture,
        TimeZone = JapanTime,
        StrictVariables = true,
    };

    /// <summary>A subject is one header line: line breaks and runs of white space become one space.</summary>
    private static string OneLine(string text) => WhiteSpace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
