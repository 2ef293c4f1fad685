using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Inspections;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Inspections;

/// <summary>
/// Supervisors' inspections of an active engagement (1-6): scheduled ones planned ahead, unannounced ones recorded after
/// the fact; findings become corrective actions, each chased by its own workflow until a supervisor closes it with
/// evidence of the correction (<see cref="CorrectiveActionEndpoints"/>).
/// </summary>
public sealed class InspectionEndpoints(
    InspectionStore inspections,
    StaffCalls calls,
    IOptions<RequestOptions> chasing,
    TimeProvider time,
    ILogger<InspectionEndpoints> logger)
{
    public const string CollectionRoute = "api/engagements/{engagementId}/inspections";
    public const string FindingsRoute = "api/engagements/{engagementId}/inspections/{inspectionId}/findings";

    /// <summary>One table transaction holds at most 100 rows, the inspection's among them.</summary>
    public const int MaxFindingsPerRequest = 99;

    private static readonly StaffRule Supervising = StaffRule.ToChange(StaffRole.Supervisor);
    private static readonly StaffRule RecordingFindings = Supervising with { Subject = "The inspection" };

    /// <summary><c>POST …/inspections</c>: a scheduled inspection (planned date today or later) or an unannounced one that took place.</summary>
    public async Task<IResult> RecordAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall<InspectionBody> call = await calls.AdmitAsync(request, Supervising.Taking<InspectionBody>(Validate), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        if (NotActive(call.Engagement!) is { } refused)
            return refused;

        string by = call.Caller;
        Inspection inspection = ToInspection(call.Body!, by);

        var record = new InspectionRecord
        {
            PartitionKey = engagementId,
            RowKey = InspectionRecord.Key(Guid.NewGuid().ToString("N")),
            Kind = inspection.Kind.ToString(),
            On = InspectionStore.Date(inspection.On),
            Scope = inspection.Scope,
            Inspector = inspection.Inspector,
            RecordedBy = by,
            RecordedAt = time.GetUtcNow(),
        };
        var recorded = new TrailEntry(
            AuditActors.Staff(by),
            AuditActions.InspectionRecorded,
            new Dictionary<string, string> { ["inspectionId"] = record.InspectionId, ["kind"] = InspectionViews.Name(inspection.Kind), ["on"] = record.On, ["inspector"] = record.Inspector },
            $"inspection.{record.InspectionId}.recorded");
        if (!(await inspections.AddOrGetAsync(record, _ => recorded, cancellationToken)).Created)
            throw new InvalidOperationException($"Inspection {record.InspectionId} of engagement {engagementId} exists already.");
        logger.LogInformation("Engagement {EngagementId}: {Kind} inspection {InspectionId} recorded by {By}", engagementId, inspection.Kind, record.InspectionId, by);
        return TypedResults.Created($"/{CollectionRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal)}", InspectionViews.View(record, [], Today()));
    }

    /// <summary>
    /// <c>POST …/inspections/{id}/findings</c>: the findings of an inspection that took place, each raised as a corrective
    /// action due after its severity's default days (or on the date given) and owned by the contractor's named person.
    /// </summary>
    public async Task<IResult> RecordFindingsAsync(HttpRequest request, string engagementId, string inspectionId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<FindingsBody, InspectionRecord> call = await calls.AdmitAsync(
            request,
            RecordingFindings.Taking<FindingsBody>(),
            engagementId,
            new StaffSubject<InspectionRecord>(IsId(inspectionId), token => inspections.GetAsync(engagementId, inspectionId, token)),
            cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        (InspectionRecord inspection, EngagementRecord engagement) = (call.Subject!, call.Engagement!);
        if (NotActive(engagement) is { } refused)
            return refused;

        IReadOnlyList<FindingBody> given = call.Body!.Findings ?? [];
        DateOnly today = Today();
        Inspection held = inspection.ToInspection();
        var errors = new ValidationErrors();
        if (given.Count == 0)
            errors.Add("findings", "must list at least one finding.");
        else if (given.Count > MaxFindingsPerRequest)
            errors.Add("findings", $"must list at most {MaxFindingsPerRequest} in one request.");
        if (inspection.FindingCount + given.Count > InspectionRules.MaxFindings)
            errors.Add("findings", $"an inspection records at most {InspectionRules.MaxFindings} findings; {inspection.FindingCount} are recorded.");
        var findings = given.Select(finding => new Finding(finding.Description?.Trim() ?? string.Empty, finding.Severity ?? (FindingSeverity)(-1))).ToList();
        Merge(errors, InspectionRules.ValidateFindings(held, findings, today));
        string defaultOwner = engagement.Terms()?.ContractorResponsible?.Name ?? engagement.ContractorName;
        var actions = new List<CorrectiveAction>();
        for (int i = 0; i < given.Count; i++)
        {
            if (findings[i].Severity is not (FindingSeverity.Minor or FindingSeverity.Major or FindingSeverity.Critical))
                continue;
            CorrectiveAction action = CorrectiveActionRules.Raise(findings[i], given[i].Owner?.Trim() is { Length: > 0 } owner ? owner : defaultOwner, held.On);
            if (given[i].DueOn is { } dueOn)
                action = action with { DueOn = dueOn };
            foreach ((string field, string[] messages) in CorrectiveActionRules.Validate(action, held.On).ToDictionary())
            {
                foreach (string message in messages)
                    errors.Add($"findings[{i}].{field}", message);
            }

            actions.Add(action);
        }

        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string by = call.Caller;
        var rows = actions.Select((action, i) =>
        {
            string actionId = Guid.NewGuid().ToString("N");
            return new CorrectiveActionRecord
            {
                PartitionKey = engagementId,
                RowKey = CorrectiveActionRecord.Key(inspectionId, actionId),
                InspectionId = inspectionId,
                ActionId = actionId,
                Description = action.Description,
                Severity = findings[i].Severity.ToString(),
                Owner = action.Owner,
                DueOn = InspectionStore.Date(action.DueOn),
                RaisedOn = inspection.On,
                RaisedBy = by,
            };
        }).ToList();
        // Each action with the entry that raises it, counted on the inspection, in one transaction (in several when they
        // are more than one holds; a refusal between them leaves those before it raised, and chased).
        int added = await inspections.AddActionsAsync(
            inspection,
            rows,
            row => new TrailEntry(
                AuditActors.Staff(by),
                AuditActions.CorrectiveActionRaised,
                new Dictionary<string, string>
                {
                    ["inspectionId"] = inspectionId,
                    ["actionId"] = row.ActionId,
                    ["severity"] = JsonNamingPolicy.CamelCase.ConvertName(row.Severity),
                    ["owner"] = row.Owner,
                    ["dueOn"] = row.DueOn,
                },
                $"action.{row.ActionId}.raised"),
            cancellationToken);
        foreach (CorrectiveActionRecord row in rows.Take(added))
            await CorrectiveActionStart.EnsureStartedAsync(durable, row, chasing.Value, cancellationToken);
        if (added < rows.Count)
            return Problems.Conflict("The inspection changed while the findings were recorded.", "Read it again and repeat the findings not yet recorded.");

        logger.LogInformation("Engagement {EngagementId}: {Count} findings of inspection {InspectionId} recorded by {By}", engagementId, rows.Count, inspectionId, by);
        return TypedResults.Ok(InspectionViews.View(inspection, rows, today));
    }

    /// <summary><c>GET …/inspections</c>: every inspection with its actions, and how many actions are open and overdue today.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        DateOnly today = Today();
        var all = await inspections.ListAsync(engagementId, cancellationToken);
        InspectionView[] views = [.. all.Select(item => InspectionViews.View(item.Inspection, item.Actions, today))];
        CorrectiveActionView[] actions = [.. views.SelectMany(view => view.Actions)];
        return TypedResults.Ok(new InspectionsView(
            views,
            actions.Count(action => action.Status == "open"),
            actions.Count(action => action.Overdue)));
    }

    private DateOnly Today() => JapanCalendar.DateAt(time.GetUtcNow());

    /// <summary>An inspection is given a kind and a date; the rest is checked on the inspection it makes (its inspector by default the caller).</summary>
    private ValidationErrors Validate(InspectionBody body, StaffUser caller)
    {
        var errors = new ValidationErrors();
        if (body.Kind is null)
            errors.Add("kind", "is required: scheduled or unannounced.");
        if (body.On is null)
            errors.Add("on", "is required: the planned date of a scheduled inspection, the date an unannounced one took place (yyyy-MM-dd).");
        return errors.IsEmpty ? InspectionRules.Validate(ToInspection(body, caller.Name), Today()) : errors;
    }

    private static Inspection ToInspection(InspectionBody body, string by) =>
        new(body.Kind!.Value, body.On!.Value, body.Scope?.Trim() ?? string.Empty, body.Inspector?.Trim() is { Length: > 0 } inspector ? inspector : by);

    private static IResult? NotActive(EngagementRecord record) =>
        record.Stage == nameof(EngagementStage.Active)
            ? null
            : Problems.Conflict(
                "The engagement is not active.",
                $"It is at stage {JsonNamingPolicy.CamelCase.ConvertName(record.Stage)}; inspections supervise work under a complete contract.");

    internal static bool IsId(string value) => value.Length == 32 && value.All(char.IsAsciiHexDigitLower);

    private static void Merge(ValidationErrors into, ValidationErrors from)
    {
        foreach ((string field, string[] messages) in from.ToDictionary())
        {
            foreach (string message in messages)
                into.Add(field, message);
        }
    }
}

public sealed record InspectionBody(InspectionKind? Kind, DateOnly? On, string? Scope, string? Inspector);

public sealed record FindingBody(string? Description, FindingSeverity? Severity, string? Owner, DateOnly? DueOn);

public sealed record FindingsBody(IReadOnlyList<FindingBody>? Findings);
