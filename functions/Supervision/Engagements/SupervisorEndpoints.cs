using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Engagements;

/// <summary>The body of <c>PUT …/supervisor</c>: who supervises the engagement from now on, and why.</summary>
public sealed record SupervisorBody(string? Supervisor, string? Reason);

/// <summary>The engagement's supervisor, who assigned them and when.</summary>
public sealed record AssignedSupervisorView(string Name, string AssignedBy, DateTimeOffset AssignedAt);

/// <summary>
/// Who supervises an engagement (1-6): named at onboarding or later, and handed over to another staff user with a
/// reason. One write of the engagement's row with its trail entry (docs/decisions/0002); the portfolio, which is
/// filtered by supervisor, follows that entry like any other.
/// </summary>
public sealed class SupervisorEndpoints(EngagementStore store, EventOutbox outbox, StaffCalls calls, TimeProvider time, ILogger<SupervisorEndpoints> logger)
{
    public const string Route = "api/engagements/{engagementId}/supervisor";

    private static readonly StaffRule Assigning = StaffRule.ToChange(StaffRole.Procurement, StaffRole.Supervisor);

    /// <summary>
    /// <c>PUT /api/engagements/{id}/supervisor</c> with <c>{supervisor, reason}</c>: assigns the supervisor, or hands the
    /// engagement to another one. The same supervisor again (in any case) changes nothing and answers the same, after
    /// delivering the trail entry of the last assignment if a crash left it owed.
    /// </summary>
    public async Task<IResult> AssignAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<SupervisorBody> call = await calls.AdmitAsync(request, Assigning.Taking<SupervisorBody>(Validate), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        string supervisor = Supervisors.Normalize(call.Body!.Supervisor!);
        string reason = call.Body.Reason!.Trim();
        string caller = call.Caller;

        for (EngagementRecord? record = call.Engagement; record is not null; record = await store.GetAsync(engagementId, cancellationToken))
        {
            SupervisorChange change = Supervisors.Decide(record.Supervisor, supervisor);
            if (change == SupervisorChange.Unchanged)
            {
                return TypedResults.Ok(View(record));
            }

            string? previous = record.Supervisor;
            record.Supervisor = supervisor;
            record.SupervisorAssignedBy = caller;
            record.SupervisorAssignedAt = time.GetUtcNow();
            record.SupervisorAssignments++;
            var details = new Dictionary<string, string> { ["supervisor"] = supervisor, ["reason"] = reason };
            if (previous is not null)
                details["previous"] = previous;
            var trail = new TrailEntry(AuditActors.Staff(caller), AuditActions.SupervisorAssigned, details, EntryKey(record.SupervisorAssignments));
            if (!await outbox.CommitAsync(record, trail, cancellationToken))
                continue; // The row changed since it was read: read it again (the loop's step) and decide again.
            logger.LogInformation("Engagement {EngagementId} {Change} to supervisor {Supervisor} by {AssignedBy}", engagementId, change, supervisor, caller);
            return TypedResults.Ok(View(record));
        }

        return Problems.NotFound("The engagement");
    }

    private static ValidationErrors Validate(SupervisorBody body)
    {
        var errors = new ValidationErrors();
        Supervisors.Validate("supervisor", body.Supervisor, errors);
        StaffInput.Reason(body.Reason, errors);
        return errors;
    }

    /// <summary>The engagement's supervisor as the API shows it, or null when none is assigned.</summary>
    public static AssignedSupervisorView? View(EngagementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Supervisor is null
            ? null
            : new AssignedSupervisorView(record.Supervisor, record.SupervisorAssignedBy ?? string.Empty, record.SupervisorAssignedAt ?? record.CreatedAt);
    }

    /// <summary>The trail entry (and outbox row) of the n-th assignment after onboarding.</summary>
    private static string EntryKey(int assignment) => $"supervisor.{assignment}";
}
