using Microsoft.DurableTask.Client;
using Supervision.Kernel;
using Supervision.Pledges;
using Supervision.Reports;
using Supervision.Training;

namespace Supervision.Engagements;

/// <summary>The duties' workflows of an engagement, stopped when its work ends (<see cref="IDutyWorkflows"/>).</summary>
public sealed class DutiesAtTheEnd : IDutyWorkflows
{
    public const string EndedReason = "The engagement's work ended: its duties are no longer asked.";

    public static IReadOnlyList<string> InstanceIds(string engagementId) =>
        [ReportingWorkflow.InstanceId(engagementId), PledgeWorkflowInput.InstanceId(engagementId), TrainingWorkflowInput.InstanceId(engagementId)];

    public async Task<IReadOnlyList<string>> StopAsync(string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        var stopped = new List<string>();
        foreach (string instanceId in InstanceIds(engagementId))
        {
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
            {
                await durable.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions(EndedReason), cancellationToken);
                stopped.Add(instanceId);
            }
        }

        return stopped;
    }
}
