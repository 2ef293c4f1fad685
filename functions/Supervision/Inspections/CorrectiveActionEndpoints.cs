using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Inspections;
using Supervision.Domain.Mail;
using Supervision.Domain.Staff;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// A supervisor's closure of a corrective action (1-6): a note and the accepted evidence of its correction close it,
/// withdraw the contractor's report request and stop its chase. The closure is one write of the action's row with its
/// trail entry.
/// </summary>
public sealed class CorrectiveActionEndpoints(
    InspectionStore inspections,
    EvidenceStore evidence,
    VendorRequests requests,
    EventOutbox outbox,
    StaffCalls calls,
    TimeProvider time,
    ILogger<CorrectiveActionEndpoints> logger)
{
    public const string ClosureRoute = "api/engagements/{engagementId}/inspections/{inspectionId}/actions/{actionId}/closure";

    private static readonly StaffRule<ClosureBody> Closure =
        (StaffRule.ToChange(StaffRole.Supervisor) with { Subject = "The corrective action", LoadsEngagement = false }).Taking<ClosureBody>();

    /// <summary>
    /// <c>POST …/actions/{id}/closure</c>: closes an action with a note and the accepted evidence of its correction (the
    /// files of the contractor's report among them, or any other), and stops its chase. The same closure again only
    /// finishes stopping a chase that an earlier call left unfinished.
    /// </summary>
    public async Task<IResult> CloseAsync(HttpRequest request, string engagementId, string inspectionId, string actionId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<ClosureBody, CorrectiveActionRecord> call = await calls.AdmitAsync(
            request,
            Closure,
            engagementId,
            new StaffSubject<CorrectiveActionRecord>(
                InspectionEndpoints.IsId(inspectionId) && InspectionEndpoints.IsId(actionId),
                token => inspections.GetActionAsync(engagementId, inspectionId, actionId, token)),
            cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        (CorrectiveActionRecord row, ClosureBody body, string by) = (call.Subject!, call.Body!, call.Caller);
        DateOnly today = Today();
        var closure = new ActionClosure(body.ClosedOn ?? today, body.Note?.Trim() ?? string.Empty, [.. (body.EvidenceIds ?? []).Select(id => id?.Trim() ?? string.Empty)]);
        if (row.ClosedOn is not null)
        {
            if (row.ClosingNote == closure.Note && row.EvidenceIds().SequenceEqual(closure.EvidenceIds))
            {
                await StopChaseAsync(durable, row, row.ClosedBy ?? by, cancellationToken);
                return TypedResults.Ok(InspectionViews.ActionView(row, today));
            }

            return Problems.Conflict("The corrective action is already closed.", $"It was closed on {row.ClosedOn} by {row.ClosedBy}.");
        }

        ValidationErrors errors = CorrectiveActionRules.ValidateClosure(row.ToTracked(), closure, today);
        if (errors.IsEmpty)
        {
            for (int i = 0; i < closure.EvidenceIds.Count; i++)
            {
                EvidenceRecord? found = InspectionEndpoints.IsId(closure.EvidenceIds[i]) ? await evidence.GetAsync(engagementId, closure.EvidenceIds[i], cancellationToken) : null;
                if (found is not { Status: nameof(EvidenceStatus.Accepted) })
                    errors.Add($"evidenceIds[{i}]", "is not accepted evidence of this engagement.");
            }
        }

        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        row.ClosedOn = InspectionStore.Date(closure.ClosedOn);
        row.ClosingNote = closure.Note;
        row.ClosingEvidenceIds = string.Join(',', closure.EvidenceIds);
        row.ClosedBy = by;
        var closed = new TrailEntry(
            AuditActors.Staff(by),
            AuditActions.CorrectiveActionClosed,
            new Dictionary<string, string>
            {
                ["inspectionId"] = inspectionId,
                ["actionId"] = actionId,
                ["closedOn"] = row.ClosedOn,
                ["note"] = closure.Note,
                ["evidenceIds"] = row.ClosingEvidenceIds,
            },
            $"action.{actionId}.closed");
        if (!await outbox.CommitAsync(row, closed, cancellationToken))
            return Problems.Conflict("The corrective action changed while it was closed.", "Read it again and close it if it is still open.");

        await StopChaseAsync(durable, row, by, cancellationToken);
        logger.LogInformation("Engagement {EngagementId}: corrective action {ActionId} closed by {By}", engagementId, actionId, by);
        return TypedResults.Ok(InspectionViews.ActionView(row, today));
    }

    /// <summary>Withdraws the action's report request, so its links take nothing more, and tells its workflow.</summary>
    private async Task StopChaseAsync(DurableTaskClient durable, CorrectiveActionRecord row, string by, CancellationToken cancellationToken)
    {
        if (row.ReportRequestId is { } requestId)
            await requests.CloseAsync(row.PartitionKey, requestId, RequestStatus.Withdrawn, AuditActors.Staff(by), cancellationToken);
        await durable.RaiseEventAsync(CorrectiveActionInput.InstanceId(row.PartitionKey, row.ActionId), nameof(ActionClosed), new ActionClosed(by), cancellationToken);
    }

    private DateOnly Today() => JapanCalendar.DateAt(time.GetUtcNow());
}

public sealed record ClosureBody(string? Note, IReadOnlyList<string?>? EvidenceIds, DateOnly? ClosedOn);
