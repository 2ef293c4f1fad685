using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Handovers;

/// <summary>
/// Input of <see cref="CheckoutWorkflow"/>; the instance id is <c>{engagementId}-checkout-{checkoutId}</c>. The chase
/// schedule travels in the input so a change of configuration never changes a running workflow's replay.
/// </summary>
public sealed record CheckoutWorkflowInput(string EngagementId, string CheckoutId, DateOnly DueBack, TimeSpan ReminderInterval, int MaxReminders);

/// <summary>
/// Chases a checked-out item (7-3): nothing until its due date is over in Japan, then <see cref="Chasing"/>'s reminders
/// to the contractor's contact and one escalation to the supervisors, then waiting for the return, which ends it at any
/// point.
/// </summary>
public sealed class CheckoutWorkflow : TaskOrchestrator<CheckoutWorkflowInput, string>
{
    public const string Returned = "returned";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, CheckoutWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<CheckoutWorkflow>();
        Task<CheckoutReturned> returned = context.WaitForExternalEvent<CheckoutReturned>(nameof(CheckoutReturned));
        Chase chase = Chase.Start(
            new ChaseTarget(CheckoutChase.ChaseKind, input.EngagementId, input.CheckoutId),
            JapanCalendar.EndUtc(input.DueBack).UtcDateTime,
            new ChasePolicy(input.ReminderInterval, input.MaxReminders));
        Chase ended = await Chasing.UntilDoneAsync(context, chase, returned);
        logger.LogInformation("Checkout {CheckoutId} of engagement {EngagementId} is back after {Reminders} reminders", input.CheckoutId, input.EngagementId, ended.Progress.Reminders);
        return Returned;
    }
}

/// <summary>
/// Chases an overdue checkout: mails the contractor's contact, and escalates to the supervisors once (mail if an address
/// is configured, always the trail); neither once the item is back.
/// </summary>
public sealed class CheckoutChase(HandoverStore store, RequestMail mail, TimeProvider time) : IChaseSubject
{
    public const string ChaseKind = "checkout";

    public string Kind => ChaseKind;

    public async Task<bool> RemindAsync(ChaseNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string checkoutId) = (notice.Target.EngagementId, notice.Target.Id);
        CheckoutRecord? row = await store.GetCheckoutAsync(engagementId, checkoutId, cancellationToken);
        if (row is null || row.ReturnedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(engagementId);
        Checkout checkout = CheckoutEndpoints.ToCheckout(row);
        string daysOverdue = Math.Max(1, CheckoutRules.DaysOverdue(checkout, null, JapanCalendar.DateAt(time.GetUtcNow()))).ToString(CultureInfo.InvariantCulture);
        string number = notice.Number.ToString(CultureInfo.InvariantCulture);
        await mail.MailContactAsync(
            MailTemplates.CheckoutOverdue,
            engagementId,
            onboarding,
            new Dictionary<string, string>
            {
                ["itemDescription"] = row.ItemDescription,
                ["checkedOutOn"] = row.CheckedOutOn,
                ["dueBack"] = row.DueBack,
                ["daysOverdue"] = daysOverdue,
            },
            $"{engagementId}.checkout.{checkoutId}.overdue.{number}");

        var reminded = new TrailEntry(
            AuditActors.System,
            AuditActions.CheckoutOverdue,
            new Dictionary<string, string>
            {
                ["checkoutId"] = checkoutId,
                ["item"] = row.ItemDescription,
                ["dueBack"] = row.DueBack,
                ["daysOverdue"] = daysOverdue,
                ["reminder"] = number,
            },
            $"checkout.{checkoutId}.overdue.{number}");
        await store.UpdateAsync<CheckoutRecord>(engagementId, CheckoutRecord.Key(checkoutId), current =>
        {
            if (current.OverdueReminders >= notice.Number)
                return false;
            current.OverdueReminders = notice.Number;
            return true;
        }, _ => reminded, cancellationToken);
        return true;
    }

    public async Task<bool> EscalateAsync(ChaseNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string checkoutId) = (notice.Target.EngagementId, notice.Target.Id);
        CheckoutRecord? row = await store.GetCheckoutAsync(engagementId, checkoutId, cancellationToken);
        if (row is null || row.ReturnedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(engagementId);
        string mailedTo = await mail.EscalateAsync(
            engagementId,
            onboarding.Contractor.Name,
            $"持出し書類・媒体の返却（{row.ItemDescription}）",
            row.DueBack,
            notice.Number,
            $"{engagementId}.checkout.{checkoutId}.escalation");

        DateTimeOffset now = time.GetUtcNow();
        var escalated = new TrailEntry(
            AuditActors.System,
            AuditActions.CheckoutEscalated,
            new Dictionary<string, string>
            {
                ["checkoutId"] = checkoutId,
                ["item"] = row.ItemDescription,
                ["dueBack"] = row.DueBack,
                ["reminders"] = notice.Number.ToString(CultureInfo.InvariantCulture),
                ["mailedTo"] = mailedTo,
            },
            $"checkout.{checkoutId}.escalated");
        await store.UpdateAsync<CheckoutRecord>(engagementId, CheckoutRecord.Key(checkoutId), current =>
        {
            if (current.EscalatedAt is not null)
                return false;
            current.EscalatedAt = now;
            return true;
        }, _ => escalated, cancellationToken);
        return true;
    }
}
