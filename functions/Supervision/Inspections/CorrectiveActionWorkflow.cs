using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Common;
using Supervision.Durable;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// One corrective action chased until closed. <see cref="Chase"/> carries the chase across <c>ContinueAsNew</c>, so however
/// long an action stays open its history stays one reminder long. <see cref="RequestId"/> is the request through which
/// the contractor reports the correction (<see cref="Attempt"/> counts the requests, a refused report opening the next);
/// once a report is taken (<see cref="Reported"/>) only a supervisor's closure is awaited.
/// </summary>
public sealed record CorrectiveActionInput(
    string EngagementId,
    string InspectionId,
    string ActionId,
    Chase Chase,
    string? RequestId = null,
    int Attempt = 1,
    bool Reported = false)
{
    public static string InstanceId(string engagementId, string actionId) => $"{engagementId}-action-{actionId}";
}

/// <summary>Starts the chase of an open action, once: a repeat (or a sweep repairing a start a crash lost) finds it started.</summary>
public static class CorrectiveActionStart
{
    public static async Task EnsureStartedAsync(DurableTaskClient durable, CorrectiveActionRecord action, RequestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(options);
        string instanceId = CorrectiveActionInput.InstanceId(action.PartitionKey, action.ActionId);
        if (action.ClosedOn is not null || await durable.GetInstanceAsync(instanceId, cancellationToken) is not null)
            return;
        var input = new CorrectiveActionInput(
            action.PartitionKey,
            action.InspectionId,
            action.ActionId,
            Chase.Start(
                new ChaseTarget(CorrectiveActionChase.ChaseKind, action.PartitionKey, action.ActionId, Within: action.InspectionId),
                JapanCalendar.EndUtc(InspectionStore.ParseDate(action.DueOn)).UtcDateTime,
                new ChasePolicy(options.ReminderInterval, options.MaxReminders)));
        await DurableStarts.StartOnceAsync(durable, nameof(CorrectiveActionWorkflow), input, instanceId, cancellationToken);
    }
}

/// <summary>Raised by the closure endpoint to the action's workflow.</summary>
public sealed record ActionClosed(string By);

/// <summary>A report request of an action to open (its id derived by the workflow), or one the contractor submitted.</summary>
public sealed record ActionReportRequest(string EngagementId, string InspectionId, string ActionId, string RequestId, string? LinkId = null);

/// <summary>
/// Opens a request through which the contractor reports the correction (what was done, when, and files showing it),
/// mailed at once and due with the action; then takes one step of <see cref="Chasing"/> at a time (due at the end of the
/// due date in Japan) raced with the report and the closure. A report taken stops the reminders; a refused one opens a
/// new request.
/// </summary>
public sealed class CorrectiveActionWorkflow : TaskOrchestrator<CorrectiveActionInput, string>
{
    public const string Closed = "closed";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, CorrectiveActionInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<CorrectiveActionWorkflow>();
        Task<ActionClosed> closed = context.WaitForExternalEvent<ActionClosed>(nameof(ActionClosed));
        if (input.Reported)
            return Close(logger, input, await closed);

        string requestId = input.RequestId ?? RequestIds.Derive(context.InstanceId, $"report.{input.Attempt.ToString(CultureInfo.InvariantCulture)}");
        if (input.RequestId is null)
        {
            if (!await context.CallActivityAsync<bool>(nameof(OpenCorrectiveActionRequest), new ActionReportRequest(input.EngagementId, input.InspectionId, input.ActionId, requestId), ActivityRetry.Options))
                return Closed;
            input = input with { RequestId = requestId };
        }

        Task<VendorRequestFulfilled> reported = RequestChase.FulfilledAsync(context, requestId);
        ChaseOutcome step = await Chasing.StepAsync(context, input.Chase, Task.WhenAny(closed, reported));
        if (step.Over && !closed.IsCompleted && !reported.IsCompleted)
            return Closed;
        input = input with { Chase = step.Chase };

        // Checked after the activities too: an event that arrived while they ran is not carried into the next execution.
        if (closed.IsCompleted)
            return Close(logger, input, closed.Result);
        if (reported.IsCompleted)
        {
            bool taken = await context.CallActivityAsync<bool>(
                nameof(RecordCorrectiveActionReport),
                new ActionReportRequest(input.EngagementId, input.InspectionId, input.ActionId, reported.Result.RequestId, reported.Result.LinkId), ActivityRetry.Options);
            logger.LogInformation("Corrective action {ActionId} of engagement {EngagementId}: report {RequestId} {Outcome}", input.ActionId, input.EngagementId, reported.Result.RequestId, taken ? "taken" : "refused");
            input = taken ? input with { Reported = true } : input with { RequestId = null, Attempt = input.Attempt + 1 };
        }

        context.ContinueAsNew(input, preserveUnprocessedEvents: true);
        return input.Reported ? "reported" : "reminded";
    }

    private static string Close(ILogger logger, CorrectiveActionInput input, ActionClosed closure)
    {
        logger.LogInformation("Corrective action {ActionId} of engagement {EngagementId} closed by {By}", input.ActionId, input.EngagementId, closure.By);
        return Closed;
    }
}
