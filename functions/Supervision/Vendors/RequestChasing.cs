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
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Engagements;
using Supervision.Http;
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
public sealed record OpenedRequest(string EngagementId, string RequestId, DateTime DueAt, TimeSpan ReminderInterval, int MaxReminders);

public sealed record RequestReminder(string EngagementId, string RequestId, int Number);

/// <summary>Orchestration code shared by every stage that waits for a contractor.</summary>
public static class RequestChase
{
    /// <summary>
    /// Waits for the request to be fulfilled, racing it against the next reminder; after the last reminder escalates
    /// once and then waits without a timer. Every timer the race no longer needs is cancelled.
    /// </summary>
    public static async Task<VendorRequestFulfilled> UntilFulfilledAsync(TaskOrchestrationContext context, OpenedRequest opened)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(opened);
        Task<VendorRequestFulfilled> fulfilled = context.WaitForExternalEvent<VendorRequestFulfilled>(nameof(VendorRequestFulfilled));
        int sent = 0;
        while (!fulfilled.IsCompleted)
        {
            DateTime at = opened.DueAt + (opened.ReminderInterval * sent);
            using var cancel = new CancellationTokenSource();
            Task timer = context.CreateTimer(at, cancel.Token);
            if (await Task.WhenAny(fulfilled, timer) == fulfilled)
            {
                // Synchronously: CancelAsync would continue off the orchestration's thread and stall the replay.
#pragma warning disable CA1849
                cancel.Cancel();
#pragma warning restore CA1849
                break;
            }

            var reminder = new RequestReminder(opened.EngagementId, opened.RequestId, sent + 1);
            if (sent >= opened.MaxReminders)
            {
                await context.CallActivityAsync<bool>(nameof(EscalateVendorRequest), reminder with { Number = sent }, ActivityRetry.Options);
                break;
            }

            sent++;
            await context.CallActivityAsync<bool>(nameof(RemindVendorRequest), reminder, ActivityRetry.Options);
        }

        return await fulfilled;
    }
}

/// <summary>What every request sends and reads: the engagement's contact, the request's own recipient, the mail keys.</summary>
public sealed class RequestMail(EngagementStore store, VendorRequests requests, Mailer mailer, MailLogStore log, IOptions<RequestOptions> options, TimeProvider time)
{
    public RequestOptions Options => options.Value;

    public async Task<(EngagementRecord Record, OnboardingRequest Request)> ReadAsync(string engagementId)
    {
        EngagementRecord record = await store.GetAsync(engagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");
        return (record, JsonSerializer.Deserialize<OnboardingRequest>(record.Request, ApiJson.Options)!);
    }

    /// <summary>
    /// Opens the request (its id chosen by the workflow) and mails its link with the <c>vendor-request</c> template, both
    /// once however often the activity runs. A caller that has just read the engagement passes its
    /// <paramref name="onboarding"/> request, saving a read.
    /// </summary>
    public async Task<OpenedRequest> OpenAndMailAsync(NewVendorRequest request, OnboardingRequest? onboarding = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A request without a due time of its own is due after the usual answering time, recorded with it so the page,
        // the reminders and what the engagement waits on all show the date the mail gave.
        (VendorRequestRecord record, IssuedLink? link) = await requests.OpenOnceAsync(
            request with { DueAt = request.DueAt ?? time.GetUtcNow() + Options.AnswerWithin },
            CancellationToken.None);
        string requestId = request.RequestId!;
        DateTimeOffset dueAt = record.DueAt ?? time.GetUtcNow() + Options.AnswerWithin;
        string key = Key(request.EngagementId, requestId, "request");
        // A request this call opened cannot have been mailed yet; one an earlier attempt opened may have been.
        if (link is not null || !await AlreadySentAsync(request.EngagementId, key))
        {
            onboarding ??= (await ReadAsync(request.EngagementId)).Request;
            link ??= await requests.IssueLinkAsync(request.EngagementId, requestId, LinkPurpose.Respond, CancellationToken.None);
            await SendAsync(MailTemplates.VendorRequest, record, onboarding, link, dueAt, key);
        }

        return Opened(request.EngagementId, requestId, dueAt);
    }

    public OpenedRequest Opened(string engagementId, string requestId, DateTimeOffset dueAt) =>
        new(engagementId, requestId, dueAt.UtcDateTime, Options.ReminderInterval, Options.MaxReminders);

    /// <summary>Mails a link of <paramref name="request"/> to its recipient (the engagement's contact unless the request names another).</summary>
    public Task<MailOutcome> SendAsync(string template, VendorRequestRecord request, OnboardingRequest onboarding, IssuedLink link, DateTimeOffset dueAt, string key, IReadOnlyDictionary<string, string>? extra = null)
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
            ["contractorName"] = onboarding.Contractor.Name,
            ["principalName"] = Options.PrincipalName,
            ["requestTitle"] = language == Language.Ja ? request.TitleJa : request.TitleEn,
            ["link"] = link.Url.ToString(),
            ["dueDate"] = DueDate(dueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        foreach ((string name, string value) in extra ?? new Dictionary<string, string>())
            model[name] = value;
        return mailer.SendAsync(new MailRequest(template, language, to, model, key, request.PartitionKey), CancellationToken.None);
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
    public async Task<string> EscalateAsync(string engagementId, string contractorName, string title, string dueDate, int reminders, string key)
    {
        if (string.IsNullOrWhiteSpace(Options.SupervisorEmail))
            return "none";
        await mailer.SendAsync(
            new MailRequest(
                MailTemplates.Escalation,
                Language.Ja,
                new MailAddressee(Options.SupervisorEmail),
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["contractorName"] = contractorName,
                    ["engagementId"] = engagementId,
                    ["requestTitle"] = title,
                    ["dueDate"] = dueDate,
                    ["reminders"] = reminders.ToString(CultureInfo.InvariantCulture),
                },
                key,
                engagementId),
            CancellationToken.None);
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

/// <summary>Reminds the recipient of a request with a new link, unless the request is no longer open. Answers whether it reminded.</summary>
public sealed class RemindVendorRequest(VendorRequests requests, RequestMail mail, TimeProvider time, ILogger<RemindVendorRequest> logger)
    : TaskActivity<RequestReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RequestReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        VendorRequestRecord? request = await requests.GetAsync(input.EngagementId, input.RequestId, CancellationToken.None);
        if (request is not { Status: nameof(RequestStatus.Open) })
        {
            logger.LogInformation("Reminder {Number} of request {RequestId} not sent: it is no longer open", input.Number, input.RequestId);
            return false;
        }

        string key = RequestMail.Key(input.EngagementId, input.RequestId, $"reminder.{input.Number.ToString(CultureInfo.InvariantCulture)}");
        if (await mail.AlreadySentAsync(input.EngagementId, key))
            return true;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        DateTimeOffset dueAt = request.DueAt ?? time.GetUtcNow();
        IssuedLink link = await requests.IssueLinkAsync(input.EngagementId, input.RequestId, LinkPurpose.Respond, CancellationToken.None);
        string overdue = Reminders.DaysOverdue(RequestMail.DueDate(dueAt), time.GetUtcNow()).ToString(CultureInfo.InvariantCulture);
        await mail.SendAsync(MailTemplates.Reminder, request, onboarding, link, dueAt, key, new Dictionary<string, string> { ["daysOverdue"] = overdue });
        logger.LogInformation("Reminder {Number} of request {RequestId} sent with link {LinkId}", input.Number, input.RequestId, link.LinkId);
        return true;
    }
}

/// <summary>Escalates an overdue request to the supervisors: mail if an address is configured, always the audit trail.</summary>
public sealed class EscalateVendorRequest(VendorRequests requests, RequestMail mail, AuditLog audit, ILogger<EscalateVendorRequest> logger)
    : TaskActivity<RequestReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RequestReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        VendorRequestRecord? request = await requests.GetAsync(input.EngagementId, input.RequestId, CancellationToken.None);
        if (request is not { Status: nameof(RequestStatus.Open) })
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        string dueDate = request.DueAt is { } dueAt ? RequestMail.DueDate(dueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
        string mailedTo = await mail.EscalateAsync(
            input.EngagementId, onboarding.Contractor.Name, request.TitleJa, dueDate, input.Number, RequestMail.Key(input.EngagementId, input.RequestId, "escalation"));
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.RequestEscalated,
            new Dictionary<string, string>
            {
                ["requestId"] = input.RequestId,
                ["kind"] = request.Kind,
                ["dueDate"] = dueDate,
                ["reminders"] = input.Number.ToString(CultureInfo.InvariantCulture),
                ["mailedTo"] = mailedTo,
            },
            CancellationToken.None,
            entryKey: $"request.{input.RequestId}.escalated");
        logger.LogWarning("Request {RequestId} ({Kind}) of engagement {EngagementId} is overdue after {Reminders} reminders: escalated",
            input.RequestId, request.Kind, input.EngagementId, input.Number);
        return true;
    }
}
