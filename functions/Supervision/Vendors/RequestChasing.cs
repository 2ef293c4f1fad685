using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Kernel;
using Supervision.Mail;

namespace Supervision.Vendors;

/// <summary>How every request to a contractor is chased (<c>Supervision:Requests</c>). Tests compress these to seconds.</summary>
public sealed class RequestOptions
{
    public const string Section = "Supervision:Requests";

    /// <summary>How long the contractor has to answer a request.</summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The first reminder goes at the due time, each further one this long after the previous.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromDays(3);

    /// <summary>After this many reminders an overdue request is escalated to the supervisors, once.</summary>
    public int MaxReminders { get; set; } = 3;

    /// <summary>Where escalations are mailed; empty records them in the audit trail only.</summary>
    public string SupervisorEmail { get; set; } = string.Empty;

    /// <summary>The principal's name as the contractor's mail shows it.</summary>
    public string PrincipalName { get; set; } = "東日本テレコム株式会社";
}

/// <summary>An opened request and the schedule it is chased on; returned by an activity, so replay-safe.</summary>
public sealed record OpenedRequest(string EngagementId, string RequestId, DateTime DueAt, TimeSpan ReminderInterval, int MaxReminders)
{
    public Chase ToChase() =>
        Chase.Start(new ChaseTarget(VendorRequestChase.ChaseKind, EngagementId, RequestId), DueAt, new ChasePolicy(ReminderInterval, MaxReminders));
}

/// <summary>Orchestration code shared by every stage that waits for a contractor.</summary>
public static class RequestChase
{
    /// <summary>Waits for the request to be fulfilled, chased by <see cref="Chasing"/> meanwhile.</summary>
    public static async Task<VendorRequestFulfilled> UntilFulfilledAsync(TaskOrchestrationContext context, OpenedRequest opened)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(opened);
        Task<VendorRequestFulfilled> fulfilled = FulfilledAsync(context, opened.RequestId);
        await Chasing.UntilDoneAsync(context, opened.ToChase(), fulfilled);
        return await fulfilled;
    }

    /// <summary>
    /// The fulfilment of <paramref name="requestId"/>. Delivery is at least once, so an event of another request (one
    /// answered earlier, delivered again by the relay) is passed over rather than taken for this one.
    /// </summary>
    public static async Task<VendorRequestFulfilled> FulfilledAsync(TaskOrchestrationContext context, string requestId)
    {
        ArgumentNullException.ThrowIfNull(context);
        VendorRequestFulfilled fulfilled;
        do
        {
            fulfilled = await context.WaitForExternalEvent<VendorRequestFulfilled>(nameof(VendorRequestFulfilled));
        }
        while (fulfilled.RequestId != requestId);

        return fulfilled;
    }
}

/// <summary>What every request sends and reads: the engagement's contact, the request's own recipient, the mail keys.</summary>
public sealed class RequestMail(EngagementStore store, VendorRequests requests, Mailer mailer, MailLogStore log, IOptions<RequestOptions> options, TimeProvider time)
{
    public RequestOptions Options => options.Value;

    public async Task<(EngagementRecord Record, OnboardingRequest Request)> ReadAsync(string engagementId)
    {
        EngagementRecord record = await ReadRecordAsync(engagementId);
        return (record, record.Onboarding());
    }

    /// <summary>
    /// Opens the request (its id chosen by the workflow) and mails its link with the <c>vendor-request</c> template, both
    /// once however often the activity runs. A caller that has just read the engagement passes it, saving a read.
    /// </summary>
    public async Task<OpenedRequest> OpenAndMailAsync(NewVendorRequest request, EngagementRecord? engagement = null) =>
        (await OpenAndMailAsync(request, engagement, with: null)).Opened;

    /// <summary>
    /// Opens and mails as <see cref="OpenAndMailAsync(NewVendorRequest, EngagementRecord?)"/> does, in one transaction with
    /// the request, its first link and the claim of its mail: the step's own rows and entries from <paramref name="with"/>,
    /// given the due time. Answers whether those were committed now (false without any, when an earlier attempt opened
    /// the request, or when the work has ended and nothing is asked).
    /// </summary>
    public async Task<(OpenedRequest Opened, bool Committed)> OpenAndMailAsync(NewVendorRequest request, EngagementRecord? engagement, Func<DateTimeOffset, Writes>? with)
    {
        ArgumentNullException.ThrowIfNull(request);
        engagement ??= await ReadRecordAsync(request.EngagementId);
        string requestId = request.RequestId!;
        // Once the work has ended nothing but the return and incidents is asked: the request is not opened, so its chase
        // finds nothing owed and stops, and the workflow that asked waits idle.
        if (!request.AskedAfterTheWorkEnds && HasEnded(engagement))
            return (Opened(request.EngagementId, requestId, time.GetUtcNow()), false);

        // A request without a due time of its own is due after the usual answering time, recorded with it so the page,
        // the reminders and what the engagement waits on all show the date the mail gave.
        DateTimeOffset dueAt = request.DueAt ?? time.GetUtcNow() + Options.AnswerWithin;
        OnboardingRequest onboarding = engagement.Onboarding();
        string key = Key(request.EngagementId, requestId, "request");
        PreparedMail? mail = null;
        (VendorRequestRecord record, IssuedLink? link) = await requests.OpenOnceAsync(
            request with { DueAt = dueAt },
            CancellationToken.None,
            (opening, first) =>
            {
                mail = mailer.Prepare(MailFor(MailTemplates.VendorRequest, opening, onboarding, first, dueAt, key));
                Writes also = with?.Invoke(dueAt) ?? Writes.None;
                return new Writes([mail.ClaimAction, .. also.Rows], also.Entries);
            });
        if (link is not null)
        {
            await mailer.SendClaimedAsync(mail!, CancellationToken.None);
            return (Opened(request.EngagementId, requestId, dueAt), with is not null);
        }

        // An earlier attempt opened it and claimed its mail, and may have sent it: if not, a fresh link goes in the mail.
        dueAt = record.DueAt ?? dueAt;
        if (!await AlreadySentAsync(request.EngagementId, key))
        {
            link = await requests.IssueLinkAsync(request.EngagementId, requestId, LinkPurpose.Respond, CancellationToken.None);
            await SendAsync(MailTemplates.VendorRequest, record, onboarding, link, dueAt, key);
        }

        return (Opened(request.EngagementId, requestId, dueAt), false);
    }

    private async Task<EngagementRecord> ReadRecordAsync(string engagementId) =>
        await store.GetAsync(engagementId, CancellationToken.None) ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");

    /// <summary>Whether the engagement's work has ended (closing or closed).</summary>
    public static bool HasEnded(EngagementRecord engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return engagement.Stage is nameof(EngagementStage.Closing) or nameof(EngagementStage.Closed);
    }

    public OpenedRequest Opened(string engagementId, string requestId, DateTimeOffset dueAt) =>
        new(engagementId, requestId, dueAt.UtcDateTime, Options.ReminderInterval, Options.MaxReminders);

    /// <summary>Mails a link of <paramref name="request"/> to its recipient (the engagement's contact unless the request names another).</summary>
    public Task<MailOutcome> SendAsync(string template, VendorRequestRecord request, OnboardingRequest onboarding, IssuedLink link, DateTimeOffset dueAt, string key, IReadOnlyDictionary<string, string>? extra = null) =>
        mailer.SendAsync(MailFor(template, request, onboarding, link, dueAt, key, extra), CancellationToken.None);

    /// <summary>The mail of a link of <paramref name="request"/>, in the recipient's language, with the request's title and due date.</summary>
    private MailRequest MailFor(string template, VendorRequestRecord request, OnboardingRequest onboarding, IssuedLink link, DateTimeOffset dueAt, string key, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onboarding);
        ArgumentNullException.ThrowIfNull(link);
        Language language = Languages.TryParse(request.Language, out Language parsed) ? parsed : onboarding.Contact.PreferredLanguage;
        MailAddressee to = request.RecipientEmail is { } address
            ? new MailAddressee(address, request.RecipientName)
            : new MailAddressee(onboarding.Contact.Email, onboarding.Contact.Name);
        var model = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["contactName"] = to.Name ?? to.Address,
            ["contractorName"] = request.RecipientOrganisation ?? onboarding.Contractor.Name,
            ["principalName"] = Options.PrincipalName,
            ["requestTitle"] = language == Language.Ja ? request.TitleJa : request.TitleEn,
            ["link"] = link.Url.ToString(),
            ["dueDate"] = DueDate(dueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        foreach ((string name, string value) in extra ?? new Dictionary<string, string>())
            model[name] = value;
        return new MailRequest(template, language, to, model, key, request.PartitionKey);
    }

    /// <summary>
    /// Mails the engagement's contact with <paramref name="template"/>, in the contact's language; the model gets the
    /// contact's, the contractor's and the principal's names besides <paramref name="model"/>. Once per key.
    /// </summary>
    public Task<MailOutcome> MailContactAsync(string template, string engagementId, OnboardingRequest onboarding, IReadOnlyDictionary<string, string> model, string key)
    {
        ArgumentNullException.ThrowIfNull(onboarding);
        ArgumentNullException.ThrowIfNull(model);
        var full = new Dictionary<string, string>(model, StringComparer.Ordinal)
        {
            ["contactName"] = onboarding.Contact.Name,
            ["contractorName"] = onboarding.Contractor.Name,
            ["principalName"] = Options.PrincipalName,
        };
        return mailer.SendAsync(
            new MailRequest(template, onboarding.Contact.PreferredLanguage, new MailAddressee(onboarding.Contact.Email, onboarding.Contact.Name), full, key, engagementId),
            CancellationToken.None);
    }

    /// <summary>
    /// Tells the supervisors that something owed by the contractor is overdue after every reminder (the <c>escalation</c>
    /// template, once per key). Answers who was told for the trail: <c>supervisors</c>, or <c>none</c> when no address is set.
    /// </summary>
    public Task<string> EscalateAsync(string engagementId, string contractorName, string title, string dueDate, int reminders, string key) =>
        MailSupervisorsAsync(
            MailTemplates.Escalation,
            engagementId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["contractorName"] = contractorName,
                ["engagementId"] = engagementId,
                ["requestTitle"] = title,
                ["dueDate"] = dueDate,
                ["reminders"] = reminders.ToString(CultureInfo.InvariantCulture),
            },
            key);

    /// <summary>Mails the supervisors (in Japanese) once per key; answers <c>supervisors</c>, or <c>none</c> when no address is set.</summary>
    public async Task<string> MailSupervisorsAsync(string template, string engagementId, IReadOnlyDictionary<string, string> model, string key)
    {
        if (string.IsNullOrWhiteSpace(Options.SupervisorEmail))
            return "none";
        await mailer.SendAsync(new MailRequest(template, Language.Ja, new MailAddressee(Options.SupervisorEmail), model, key, engagementId), CancellationToken.None);
        return "supervisors";
    }

    /// <summary>
    /// True when the mail of <paramref name="key"/> is settled (sent, or rejected for good): a retry issues no new link
    /// for it. A mail still sending is not: the retry goes on to the mailer, which waits for it or takes it over.
    /// </summary>
    public async Task<bool> AlreadySentAsync(string engagementId, string key) =>
        await log.GetAsync(engagementId, key, CancellationToken.None) is { CurrentStatus: MailStatus.Sent or MailStatus.Rejected };

    /// <summary>The idempotency key of one mail about one request: <c>{engagementId}.{requestId}.{what}</c>.</summary>
    public static string Key(string engagementId, string requestId, string what) => $"{engagementId}.{requestId}.{what}";

    /// <summary>The calendar day (Japan time) an instant falls on: what a person is told is the due date.</summary>
    public static DateOnly DueDate(DateTimeOffset dueAt) => DateOnly.FromDateTime(dueAt.ToOffset(Reminders.JapanOffset).DateTime);
}
