using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Durable;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Handovers;

/// <summary>
/// Input of <see cref="CheckoutWorkflow"/>; the instance id is <c>{engagementId}-checkout-{checkoutId}</c>. The chase
/// schedule travels in the input so a change of configuration never changes a running workflow's replay.
/// </summary>
public sealed record CheckoutWorkflowInput(string EngagementId, string CheckoutId, DateOnly DueBack, TimeSpan ReminderInterval, int MaxReminders);

public sealed record CheckoutReminder(string EngagementId, string CheckoutId, int Number);

/// <summary>
/// Chases a checked-out item (7-3): nothing until its due date is over in Japan, then a reminder to the contractor's
/// contact every interval, escalation to the supervisors once after the last, then waiting for the return. The return
/// ends it at any point; every timer the race no longer needs is cancelled.
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
        DateTime overdueAt = JapanCalendar.EndUtc(input.DueBack).UtcDateTime;
        int sent = 0;
        while (!returned.IsCompleted)
        {
            using var cancel = new CancellationTokenSource();
            Task timer = context.CreateTimer(overdueAt + (input.ReminderInterval * sent), cancel.Token);
            if (await Task.WhenAny(returned, timer) == returned)
            {
                // Synchronously: CancelAsync would continue off the orchestration's thread and stall the replay.
#pragma warning disable CA1849
                cancel.Cancel();
#pragma warning restore CA1849
                break;
            }

            if (sent >= input.MaxReminders)
            {
                if (await context.CallActivityAsync<bool>(nameof(EscalateOverdueCheckout), new CheckoutReminder(input.EngagementId, input.CheckoutId, sent), ActivityRetry.Options))
                    await returned;
                break;
            }

            sent++;
            // The activity reads the row: an item already back (its event lost or not yet raised) ends the chase.
            if (!await context.CallActivityAsync<bool>(nameof(RemindOverdueCheckout), new CheckoutReminder(input.EngagementId, input.CheckoutId, sent), ActivityRetry.Options))
                break;
        }

        logger.LogInformation("Checkout {CheckoutId} of engagement {EngagementId} is back after {Reminders} reminders", input.CheckoutId, input.EngagementId, sent);
        return Returned;
    }
}

/// <summary>Mails the contractor's contact that a checked-out item is overdue, unless it is back. Answers whether it is still out.</summary>
public sealed class RemindOverdueCheckout(HandoverStore store, RequestMail mail, AuditLog audit, TimeProvider time, ILogger<RemindOverdueCheckout> logger)
    : TaskActivity<CheckoutReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CheckoutReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckoutRecord? row = await store.GetCheckoutAsync(input.EngagementId, input.CheckoutId, CancellationToken.None);
        if (row is null || row.ReturnedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        Checkout checkout = HandoverEndpoints.ToCheckout(row);
        string daysOverdue = Math.Max(1, CheckoutRules.DaysOverdue(checkout, null, JapanCalendar.DateAt(time.GetUtcNow()))).ToString(CultureInfo.InvariantCulture);
        string number = input.Number.ToString(CultureInfo.InvariantCulture);
        await mail.MailContactAsync(
            MailTemplates.CheckoutOverdue,
            input.EngagementId,
            onboarding,
            new Dictionary<string, string>
            {
                ["itemDescription"] = row.ItemDescription,
                ["checkedOutOn"] = row.CheckedOutOn,
                ["dueBack"] = row.DueBack,
                ["daysOverdue"] = daysOverdue,
            },
            $"{input.EngagementId}.checkout.{input.CheckoutId}.overdue.{number}");

        await store.UpdateAsync<CheckoutRecord>(input.EngagementId, CheckoutRecord.Key(input.CheckoutId), current =>
        {
            if (current.OverdueReminders >= input.Number)
                return false;
            current.OverdueReminders = input.Number;
            return true;
        }, CancellationToken.None);
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.CheckoutOverdue,
            new Dictionary<string, string>
            {
                ["checkoutId"] = input.CheckoutId,
                ["item"] = row.ItemDescription,
                ["dueBack"] = row.DueBack,
                ["daysOverdue"] = daysOverdue,
                ["reminder"] = number,
            },
            CancellationToken.None,
            entryKey: $"checkout.{input.CheckoutId}.overdue.{number}");
        logger.LogInformation("Checkout {CheckoutId} of engagement {EngagementId} overdue: reminder {Number} sent", input.CheckoutId, input.EngagementId, input.Number);
        return true;
    }
}

/// <summary>Escalates a still-overdue checkout to the supervisors once: mail if an address is configured, always the trail.</summary>
public sealed class EscalateOverdueCheckout(HandoverStore store, RequestMail mail, AuditLog audit, TimeProvider time, ILogger<EscalateOverdueCheckout> logger)
    : TaskActivity<CheckoutReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CheckoutReminder input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckoutRecord? row = await store.GetCheckoutAsync(input.EngagementId, input.CheckoutId, CancellationToken.None);
        if (row is null || row.ReturnedOn is not null)
            return false;

        (_, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        string reminders = input.Number.ToString(CultureInfo.InvariantCulture);
        string mailedTo = await mail.EscalateAsync(
            input.EngagementId,
            onboarding.Contractor.Name,
            $"持出し書類・媒体の返却（{row.ItemDescription}）",
            row.DueBack,
            input.Number,
            $"{input.EngagementId}.checkout.{input.CheckoutId}.escalation");

        DateTimeOffset now = time.GetUtcNow();
        await store.UpdateAsync<CheckoutRecord>(input.EngagementId, CheckoutRecord.Key(input.CheckoutId), current =>
        {
            if (current.EscalatedAt is not null)
                return false;
            current.EscalatedAt = now;
            return true;
        }, CancellationToken.None);
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.CheckoutEscalated,
            new Dictionary<string, string>
            {
                ["checkoutId"] = input.CheckoutId,
                ["item"] = row.ItemDescription,
                ["dueBack"] = row.DueBack,
                ["reminders"] = reminders,
                ["mailedTo"] = mailedTo,
            },
            CancellationToken.None,
            entryKey: $"checkout.{input.CheckoutId}.escalated");
        logger.LogWarning("Checkout {CheckoutId} of engagement {EngagementId} still out after {Reminders} reminders: escalated", input.CheckoutId, input.EngagementId, input.Number);
        return true;
    }
}
