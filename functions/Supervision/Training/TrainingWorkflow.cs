using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Common;
using Supervision.Durable;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Training;

/// <summary>
/// Input of <see cref="TrainingWorkflow"/>: the round (a plan and its sessions' results), the accepted plan's sessions
/// once there is one, the next session to report, and when the next round's plan is asked for.
/// </summary>
public sealed record TrainingWorkflowInput(string EngagementId, int Round = 1, IReadOnlyList<DateOnly>? Sessions = null, int NextSession = 0, DateTime? RenewAt = null, int Attempt = 1)
{
    public static string InstanceId(string engagementId) => $"{engagementId}-training";
}

/// <summary>Whether the plan was accepted, its sessions, and when the next round's plan is due.</summary>
public sealed record TrainingPlanOutcome(bool Accepted, IReadOnlyList<DateOnly> Sessions, DateTime? RenewAt);

/// <summary>
/// Training of the contractor's staff (5-1, 5-2): the contractor submits its plan through a link and is asked again
/// until the plan is acceptable; on each planned day it is asked for that session's result, and asked again while a
/// result is refused (a named roster without the attendees' consent, 5-2, among the reasons). Each request is one
/// execution (<c>ContinueAsNew</c>), so the history stays bounded.
/// </summary>
public sealed class TrainingWorkflow : TaskOrchestrator<TrainingWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, TrainingWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<TrainingWorkflow>();
        string engagementId = input.EngagementId;
        if (input.Sessions is null)
        {
            OpenedRequest plan = await context.CallActivityAsync<OpenedRequest>(
                nameof(OpenTrainingPlanRequest), new DutyRequestInput(engagementId, RequestIds.Derive(context.InstanceId, $"plan.{input.Round}.{input.Attempt}"), input.Round), ActivityRetry.Options);
            VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, plan);
            TrainingPlanOutcome outcome = await context.CallActivityAsync<TrainingPlanOutcome>(
                nameof(RecordTrainingPlan), new DutySubmission(engagementId, submitted.RequestId, submitted.LinkId), ActivityRetry.Options);
            logger.LogInformation("Engagement {EngagementId}: training plan {RequestId} accepted {Accepted}", engagementId, submitted.RequestId, outcome.Accepted);
            context.ContinueAsNew(
                outcome.Accepted
                    ? input with { Sessions = [.. outcome.Sessions.Order()], NextSession = 0, RenewAt = outcome.RenewAt, Attempt = 1 }
                    : input with { Attempt = input.Attempt + 1 },
                preserveUnprocessedEvents: true);
            return outcome.Accepted ? "planned" : nameof(DutyStatus.Refused);
        }

        if (input.NextSession < input.Sessions.Count)
        {
            DateOnly session = input.Sessions[input.NextSession];
            DateTime heldFrom = JapanCalendar.StartUtc(session).UtcDateTime;
            if (heldFrom > context.CurrentUtcDateTime)
                await context.CreateTimer(heldFrom, CancellationToken.None);
            OpenedRequest result = await context.CallActivityAsync<OpenedRequest>(
                nameof(OpenTrainingResultRequest),
                new DutyRequestInput(engagementId, RequestIds.Derive(context.InstanceId, $"result.{input.Round}.{input.NextSession}.{input.Attempt}"), input.Round, session), ActivityRetry.Options);
            VendorRequestFulfilled submitted = await RequestChase.UntilFulfilledAsync(context, result);
            DutyOutcome outcome = await context.CallActivityAsync<DutyOutcome>(
                nameof(RecordTrainingResult), new DutySubmission(engagementId, submitted.RequestId, submitted.LinkId), ActivityRetry.Options);
            logger.LogInformation("Engagement {EngagementId}: training result {RequestId} accepted {Accepted}", engagementId, submitted.RequestId, outcome.Accepted);
            context.ContinueAsNew(
                outcome.Accepted ? input with { NextSession = input.NextSession + 1, Attempt = 1 } : input with { Attempt = input.Attempt + 1 },
                preserveUnprocessedEvents: true);
            return outcome.Accepted ? nameof(DutyStatus.Accepted) : nameof(DutyStatus.Refused);
        }

        if (input.RenewAt > context.CurrentUtcDateTime)
            await context.CreateTimer(input.RenewAt.Value, CancellationToken.None);
        context.ContinueAsNew(new TrainingWorkflowInput(engagementId, input.Round + 1), preserveUnprocessedEvents: true);
        return "renewing";
    }
}

/// <summary>Starts the engagement's training workflow once its contract is complete; idempotent.</summary>
/// <remarks>
/// The client is looked up when the activity runs, never injected: in the Functions app it is a binding, not a service, and
/// a constructor asking for it fails the worker's service-provider validation at start-up.
/// </remarks>
public sealed class StartTraining(IServiceProvider services, EngagementStore store) : TaskActivity<string, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, string input) => StartAsync(DurableStarts.ClientFrom(services), store, input);

    public static Task<bool> StartAsync(DurableTaskClient durable, EngagementStore store, string engagementId) =>
        DutyWorkflows.EnsureStartedAsync(durable, store, engagementId, nameof(TrainingWorkflow), TrainingWorkflowInput.InstanceId(engagementId), new TrainingWorkflowInput(engagementId));
}
