using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Incidents;

/// <summary>A change of an incident's row: its trail entry, and the event its workflow is owed, if any.</summary>
public sealed record IncidentChange(TrailEntry Trail, string? EventName = null, object? Payload = null);

/// <summary>
/// The preamble and the one write of every change to an incident (docs/decisions/0002): the staff preamble about the
/// incident's row; then the row changed and committed with its trail entry and the workflow's event in one transaction.
/// </summary>
public sealed class IncidentChanges(IncidentStore incidents, EventOutbox outbox, StaffCalls calls)
{
    public static readonly StaffRole[] Responders = [StaffRole.Procurement, StaffRole.Supervisor];
    public static readonly StaffRole[] Supervisors = [StaffRole.Supervisor];

    /// <summary>A change of an incident by one of <paramref name="roles"/>: 404 "The incident" for a malformed id or a missing row.</summary>
    public Task<StaffCall<T, IncidentRecord>> AdmitAsync<T>(
        HttpRequest request, string engagementId, string incidentId, StaffRole[] roles, CancellationToken cancellationToken, int maxBytes = JsonBody.DefaultMaxBytes)
        where T : class =>
        calls.AdmitAsync(
            request,
            (StaffRule.ToChange(roles) with { Subject = "The incident", LoadsEngagement = false }).Taking<T>(maxBytes),
            engagementId,
            Incident(engagementId, incidentId),
            cancellationToken);

    /// <summary>The incident a route names, as the staff preamble checks and reads it.</summary>
    public StaffSubject<IncidentRecord> Incident(string engagementId, string incidentId) =>
        new(EngagementIds.IsWellFormed(incidentId), token => incidents.GetAsync(engagementId, incidentId, token));

    /// <summary>
    /// Changes the row by <paramref name="change"/> (null leaves it) and commits it with its trail entry and event; a row
    /// changed meanwhile is read and decided again. Answers the row as it now stands.
    /// </summary>
    public async Task<IncidentRecord> CommitAsync(string engagementId, string incidentId, Func<IncidentRecord, IncidentChange?> change, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            IncidentRecord incident = (await incidents.GetAsync(engagementId, incidentId, cancellationToken))!;
            if (change(incident) is not { } committed)
                return incident;
            OwedEvent owed = committed.EventName is { } eventName
                ? new OwedEvent(IncidentRecord.InstanceId(engagementId, incidentId), eventName, committed.Payload!, committed.Trail)
                : OwedTrail.Only(committed.Trail);
            if (await outbox.CommitAsync(incident, committed.Trail.Key, owed, cancellationToken))
            {
                await outbox.TryDeliverAsync(durable, engagementId, committed.Trail.Key, cancellationToken);
                return incident;
            }
        }
    }
}
