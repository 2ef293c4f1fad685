using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Incidents;

namespace Supervision.Sweep;

/// <summary>
/// The sweep's pass over one engagement's open incidents, as the sweep read their rows: one whose workflow is missing,
/// failed or terminated is started again; its notice and reminders are keyed, so nothing goes twice.
/// </summary>
public sealed class IncidentSweep(ILogger<IncidentSweep> logger)
{
    public async Task SweepAsync(DurableTaskClient durable, IEnumerable<IncidentRecord> incidents, SweepTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(tally);
        foreach (IncidentRecord incident in incidents.Where(incident => incident.State == IncidentStates.Open))
        {
            string instanceId = IncidentRecord.InstanceId(incident.EngagementId, incident.IncidentId);
            try
            {
                OrchestrationMetadata? workflow = await durable.GetInstanceAsync(instanceId, cancellationToken);
                if ((workflow is null || LostInstances.IsLost(workflow))
                    && await LostInstances.TryStartAsync(durable, nameof(IncidentWorkflow), new IncidentWorkflowInput(incident.EngagementId, incident.IncidentId, Judged: incident.JudgedBy is not null), instanceId, cancellationToken))
                    tally.IncidentWorkflowsRestarted.Add(instanceId);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sweep of incident {IncidentId} of engagement {EngagementId} failed", incident.IncidentId, incident.EngagementId);
                tally.Failures.Add(instanceId);
            }
        }
    }
}
