using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Contracts;
using Supervision.Handovers;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Sweep;

/// <summary>
/// The sweep's pass over the checkouts (7-3): every overdue checkout is being chased; a chase that is missing, failed
/// or terminated is started again and put in the trail.
/// </summary>
public sealed class CheckoutSweep(AuditLog audit, IOptions<RequestOptions> requestOptions, ILogger<CheckoutSweep> logger)
{
    /// <summary>Sweeps one engagement's checkouts, as the sweep read them.</summary>
    public async Task SweepAsync(DurableTaskClient durable, IEnumerable<CheckoutRecord> checkouts, DateOnly today, SweepTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(checkouts);
        ArgumentNullException.ThrowIfNull(tally);
        foreach (CheckoutRecord row in checkouts)
        {
            tally.CheckoutsScanned++;
            try
            {
                Checkout checkout = CheckoutEndpoints.ToCheckout(row);
                if (row.ReturnedOn is not null || !CheckoutRules.IsOverdue(checkout, null, today))
                    continue;
                string instanceId = CheckoutEndpoints.CheckoutInstanceId(row.EngagementId, row.CheckoutId);
                tally.OverdueCheckouts.Add(instanceId);
                if (await RestartCheckoutIfLostAsync(durable, row, checkout, today, cancellationToken))
                    tally.CheckoutWorkflowsRestarted.Add(instanceId);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sweep of checkout {CheckoutId} of engagement {EngagementId} failed", row.CheckoutId, row.EngagementId);
                tally.Failures.Add(CheckoutEndpoints.CheckoutInstanceId(row.EngagementId, row.CheckoutId));
            }
        }
    }

    private async Task<bool> RestartCheckoutIfLostAsync(DurableTaskClient durable, CheckoutRecord row, Checkout checkout, DateOnly today, CancellationToken cancellationToken)
    {
        string instanceId = CheckoutEndpoints.CheckoutInstanceId(row.EngagementId, row.CheckoutId);
        OrchestrationMetadata? previous = await durable.GetInstanceAsync(instanceId, cancellationToken);
        if (previous is not null && !LostInstances.IsLost(previous))
            return false;

        // As CheckoutEndpoints starts it. Reminders already sent are keyed, so the restarted chase sends none twice.
        RequestOptions chase = requestOptions.Value;
        if (!await LostInstances.TryStartAsync(
            durable,
            nameof(CheckoutWorkflow),
            new CheckoutWorkflowInput(row.EngagementId, row.CheckoutId, checkout.DueBack, chase.ReminderInterval, chase.MaxReminders),
            instanceId,
            cancellationToken))
            return false;
        string status = LostInstances.StatusName(previous);
        await audit.AppendAsync(
            row.EngagementId,
            AuditActors.System,
            AuditActions.CheckoutWorkflowRestarted,
            new Dictionary<string, string>
            {
                ["checkoutId"] = row.CheckoutId,
                ["dueBack"] = row.DueBack,
                ["daysOverdue"] = CheckoutRules.DaysOverdue(checkout, null, today).ToString(CultureInfo.InvariantCulture),
                ["previousStatus"] = status,
            },
            cancellationToken,
            entryKey: $"checkout.{row.CheckoutId}.restarted.{LostInstances.LossKey(previous)}");
        logger.LogWarning("Checkout {CheckoutId} of engagement {EngagementId}: chase was {PreviousStatus}, started again", row.CheckoutId, row.EngagementId, status);
        return true;
    }
}
