using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Common;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Storage;

namespace Supervision.Incidents;

/// <summary>A change of an incident's row: its trail entry, and the event its workflow is owed, if any.</summary>
public sealed record IncidentChange(OwedTrailEntry Trail, string? EventName = null, object? Payload = null);

/// <summary>What every incident handler needs once the caller, the ids and the body passed.</summary>
public sealed record IncidentAdmission<T>(IResult? Problem, IncidentRecord? Incident = null, T? Body = null, string? Caller = null)
    where T : class;

/// <summary>
/// The preamble and the one write of every change to an incident (docs/decisions/0002): the caller's role, the ids, the
/// body, the row; then the row changed and committed with its trail entry and the workflow's event in one transaction.
/// </summary>
public sealed class IncidentChanges(IncidentStore incidents, EventOutbox outbox, StaffAccess staff)
{
    public static readonly StaffRole[] Responders = [StaffRole.Procurement, StaffRole.Supervisor];
    public static readonly StaffRole[] Supervisors = [StaffRole.Supervisor];

    public async Task<IncidentAdmission<T>> AdmitAsync<T>(
        HttpRequest request, string engagementId, string incidentId, StaffRole[] roles, CancellationToken cancellationToken, int maxBytes = JsonBody.DefaultMaxBytes)
        where T : class
    {
        StaffAccessResult access = staff.ToChange(request, roles);
        if (access.Denied is not null)
            return new(access.Denied);
        if (!EngagementIds.IsWellFormed(engagementId) || !EngagementIds.IsWellFormed(incidentId))
            return new(Problems.NotFound("The incident"));
        BodyResult<T> body = await JsonBody.ReadAsync<T>(request, cancellationToken, maxBytes);
        if (body.Problem is not null)
            return new(body.Problem);
        IncidentRecord? incident = await incidents.GetAsync(engagementId, incidentId, cancellationToken);
        return incident is null ? new(Problems.NotFound("The incident")) : new(null, incident, body.Value, access.User!.Name);
    }

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
            if (await outbox.CommitAsync(TableNames.Engagements, incident, committed.Trail.EntryKey, owed, cancellationToken))
            {
                await outbox.TryDeliverAsync(durable, TableNames.Engagements, engagementId, committed.Trail.EntryKey, cancellationToken);
                return incident;
            }
        }
    }
}
