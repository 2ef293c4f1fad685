using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Inspections;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// Opens findings of the principal's own review (<see cref="InspectionKind.Review"/>) as corrective actions, each chased
/// like one an inspection raised: a review dated the day it was found, one major finding, the contractor's named person
/// as its owner. Ids derive from the finding's source, so raising it again finds what the first call wrote.
/// </summary>
public sealed class ReviewFindings(InspectionStore inspections, EngagementStore engagements, AuditLog audit, IOptions<RequestOptions> chasing, TimeProvider time) : IFindingRaiser
{
    public async Task<string> RaiseAsync(RaisedFinding finding, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        string engagementId = finding.EngagementId;
        string inspectionId = RequestIds.Derive(engagementId, $"review.{finding.SourceId}");
        string actionId = RequestIds.Derive(inspectionId, "action");
        DateOnly today = JapanCalendar.DateAt(time.GetUtcNow());
        EngagementRecord engagement = await engagements.GetAsync(engagementId, cancellationToken)
            ?? throw new InvalidOperationException($"Engagement {engagementId} does not exist.");

        InspectionRecord inspection = await inspections.GetAsync(engagementId, inspectionId, cancellationToken) ?? await AddReviewAsync(finding, inspectionId, today, cancellationToken);
        CorrectiveActionRecord? action = await inspections.GetActionAsync(engagementId, inspectionId, actionId, cancellationToken);
        TrailEntry Raised(CorrectiveActionRecord row) => new(
            AuditActors.System,
            AuditActions.CorrectiveActionRaised,
            new Dictionary<string, string> { ["inspectionId"] = inspectionId, ["actionId"] = actionId, ["severity"] = "major", ["owner"] = row.Owner, ["dueOn"] = row.DueOn, ["source"] = finding.SourceId },
            $"action.{actionId}.raised");
        bool raisedNow = false;
        if (action is null)
        {
            CorrectiveAction raised = CorrectiveActionRules.Raise(
                new Finding(finding.Description, FindingSeverity.Major), engagement.Terms()?.ContractorResponsible?.Name ?? engagement.ContractorName, InspectionStore.ParseDate(inspection.On));
            action = new CorrectiveActionRecord
            {
                PartitionKey = engagementId,
                RowKey = CorrectiveActionRecord.Key(inspectionId, actionId),
                InspectionId = inspectionId,
                ActionId = actionId,
                Description = raised.Description,
                Severity = nameof(FindingSeverity.Major),
                Owner = raised.Owner,
                DueOn = InspectionStore.Date(raised.DueOn),
                RaisedOn = inspection.On,
                RaisedBy = finding.RaisedBy,
            };
            raisedNow = await inspections.AddActionsAsync(inspection, [action], Raised, cancellationToken) == 1;
            if (!raisedNow)
                action = await inspections.GetActionAsync(engagementId, inspectionId, actionId, cancellationToken) ?? throw new InvalidOperationException($"Review {inspectionId} changed while its finding was raised.");
        }

        // Raised before, by an earlier call: with its entry, or (by an earlier version) without it, which is appended now.
        if (!raisedNow)
            await audit.AppendAsync(engagementId, Raised(action), cancellationToken);
        await CorrectiveActionStart.EnsureStartedAsync(durable, action, chasing.Value, cancellationToken);
        return actionId;
    }

    private async Task<InspectionRecord> AddReviewAsync(RaisedFinding finding, string inspectionId, DateOnly today, CancellationToken cancellationToken)
    {
        var record = new InspectionRecord
        {
            PartitionKey = finding.EngagementId,
            RowKey = InspectionRecord.Key(inspectionId),
            Kind = nameof(InspectionKind.Review),
            On = InspectionStore.Date(today),
            Scope = finding.Scope,
            Inspector = finding.RaisedBy,
            RecordedBy = finding.RaisedBy,
            RecordedAt = time.GetUtcNow(),
        };
        (InspectionRecord stored, _) = await inspections.AddOrGetAsync(
            record,
            row => new TrailEntry(
                AuditActors.System,
                AuditActions.InspectionRecorded,
                new Dictionary<string, string> { ["inspectionId"] = inspectionId, ["kind"] = "review", ["on"] = row.On, ["inspector"] = row.Inspector, ["source"] = finding.SourceId },
                $"inspection.{inspectionId}.recorded"),
            cancellationToken);
        return stored;
    }
}
