using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Evidence;
using Supervision.Domain.Incidents;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Incidents;

/// <summary>A step done or not applicable; <paramref name="Evidence"/> is a file that shows it (a letter sent, a report), optional.</summary>
public sealed record IncidentStepBody(StepStatus? Status, string? Note, string? Owner, InlineFileDraftBody? Evidence = null);

public sealed record IncidentClosureBody(string? Note);

public sealed record ClientAgreementBody(string? AgreedBy, string? Note);

/// <summary>
/// The response to an incident (6-1, 6-2, 7-1): its checklist step by step, one voice to the customer when several
/// principals are touched, the client's agreement to publication when the data is a client's, and the closure once
/// nothing is missing. Each change is one write of the incident's row with its trail entry.
/// </summary>
public sealed class IncidentResponseEndpoints(IncidentChanges changes, IncidentIntake intake, EvidenceStore evidence, TimeProvider time, ILogger<IncidentResponseEndpoints> logger)
{
    public const string StepRoute = "api/engagements/{engagementId}/incidents/{incidentId}/steps/{step}";
    public const string ClosureRoute = "api/engagements/{engagementId}/incidents/{incidentId}/closure";
    public const string CoordinationRoute = "api/engagements/{engagementId}/incidents/{incidentId}/coordination";
    public const string ClientAgreementRoute = "api/engagements/{engagementId}/incidents/{incidentId}/client-agreement";

    /// <summary><c>POST …/steps/{step}</c>: a step of the response done, or not applicable with a reason.</summary>
    public async Task<IResult> RecordStepAsync(HttpRequest request, string engagementId, string incidentId, string step, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<IncidentStepBody, IncidentRecord> admission = await changes.AdmitAsync<IncidentStepBody>(request, engagementId, incidentId, IncidentChanges.Responders, cancellationToken, intake.Options.MaxBodyBytes);
        if (admission.Refused is not null)
            return admission.Refused;
        if (!Enum.TryParse(step, ignoreCase: true, out ResponseStep responseStep) || !Enum.IsDefined(responseStep))
            return Problems.NotFound("The step");
        IncidentStepBody body = admission.Body!;
        var errors = new ValidationErrors();
        if (body.Status is not (StepStatus.Done or StepStatus.NotApplicable))
            errors.Add("status", "is required: done or notApplicable.");
        if (body.Status == StepStatus.NotApplicable)
            StaffInput.Reason(body.Note, errors, "note");
        else if (!string.IsNullOrWhiteSpace(body.Note))
            errors.Required("note", body.Note, StaffInput.MaxReasonLength);
        if (body.Owner is not null)
            errors.RequiredLine("owner", body.Owner, IncidentRules.MaxNameLength);
        InlineFile? shown = body.Evidence is { } file
            ? InlineFiles.Read(new InlineFileDraft { FileName = file.FileName, ContentBase64 = file.ContentBase64 }, "evidence", intake.Options.MaxFileBytes, errors)
            : null;
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        if (body.Status == StepStatus.Done && responseStep == ResponseStep.Publication && admission.Subject!.ReadFacts().HeldForClient is { } client && admission.Subject.ClientAgreedAt is null)
            return Problems.Conflict("The client has not agreed to publication.", $"The data is held for {client} (7-1): record its agreement first.");
        IncidentCoordination? coordination = admission.Subject!.ReadCoordination();
        string caller = admission.Caller;
        string[] evidenceIds = shown is null
            ? []
            : [(await evidence.AddSystemEvidenceAsync(engagementId, $"incident-{incidentId}", shown.FileName, shown.ContentType, shown.Bytes, cancellationToken)).EvidenceId];
        IncidentRecord incident = await changes.CommitAsync(engagementId, incidentId, row =>
        {
            List<StepState> steps = row.ReadSteps();
            int index = steps.FindIndex(candidate => candidate.Step == responseStep);
            if (row.State != IncidentStates.Open || steps[index].Status != StepStatus.Open)
                return null;
            steps[index] = steps[index] with
            {
                Status = body.Status!.Value,
                // 6-2: notices to the people affected go out once, through the party the principals agreed on.
                Owner = responseStep == ResponseStep.NoticeToIndividuals && coordination is not null ? coordination.ContactingParty : body.Owner?.Trim() ?? caller,
                Note = responseStep == ResponseStep.NoticeToIndividuals && coordination is not null
                    ? $"{body.Note?.Trim()} (6-2: {coordination.ContactingParty}, contact point {coordination.ContactPoint})".Trim()
                    : body.Note?.Trim(),
                DoneOn = JapanCalendar.DateAt(time.GetUtcNow()),
                EvidenceIds = evidenceIds,
            };
            row.Write(steps);
            return new IncidentChange(new TrailEntry(
                AuditActors.Staff(caller),
                AuditActions.IncidentStepRecorded,
                new Dictionary<string, string> { ["incidentId"] = incidentId, ["step"] = responseStep.ToString(), ["status"] = body.Status.Value.ToString(), ["note"] = body.Note?.Trim() ?? string.Empty, ["evidenceIds"] = string.Join(",", evidenceIds) },
                $"incident.{incidentId}.step.{responseStep}"));
        }, durable, cancellationToken);
        StepState recorded = incident.ReadSteps().First(candidate => candidate.Step == responseStep);
        return recorded.Status == body.Status
            ? TypedResults.Ok(IncidentViews.View(incident))
            : Problems.Conflict("The step was already recorded.", $"Step {responseStep} is {recorded.Status}.");
    }

    /// <summary><c>POST …/closure</c>: a supervisor closes the incident once nothing is missing; otherwise 409 naming what is.</summary>
    public async Task<IResult> CloseAsync(HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<IncidentClosureBody, IncidentRecord> admission = await changes.AdmitAsync<IncidentClosureBody>(request, engagementId, incidentId, IncidentChanges.Supervisors, cancellationToken);
        if (admission.Refused is not null)
            return admission.Refused;
        var errors = new ValidationErrors();
        StaffInput.Reason(admission.Body!.Note, errors, "note");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        IReadOnlyList<string> missing = admission.Subject!.Missing();
        if (admission.Subject!.State == IncidentStates.Open && missing.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The incident cannot be closed yet.",
                detail: "Missing: " + string.Join("; ", missing) + ".",
                extensions: new Dictionary<string, object?> { ["missing"] = missing });
        }

        string caller = admission.Caller;
        string note = admission.Body.Note!.Trim();
        IncidentRecord incident = await changes.CommitAsync(engagementId, incidentId, row =>
        {
            if (row.State != IncidentStates.Open || row.Missing().Count > 0)
                return null;
            row.State = IncidentStates.Closed;
            row.ClosedBy = caller;
            row.ClosedAt = time.GetUtcNow();
            row.ClosingNote = note;
            return new IncidentChange(new TrailEntry(AuditActors.Staff(caller), AuditActions.IncidentClosed, new Dictionary<string, string> { ["incidentId"] = incidentId, ["note"] = note }, $"incident.{incidentId}.closed"));
        }, durable, cancellationToken);
        if (incident.State != IncidentStates.Closed)
            return Problems.Conflict("The incident cannot be closed yet.", "It changed while it was being closed: read it again.");
        logger.LogInformation("Engagement {EngagementId}: incident {IncidentId} closed by {Caller}", engagementId, incidentId, incident.ClosedBy);
        return TypedResults.Ok(IncidentViews.View(incident));
    }

    /// <summary>
    /// <c>POST …/coordination</c> (6-2): a supervisor records the other principals the leak touches, which party contacts
    /// the people affected, and the single contact point, once; the notice step is then recorded against that decision.
    /// </summary>
    public async Task<IResult> CoordinateAsync(HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<IncidentCoordinationDraft, IncidentRecord> admission = await changes.AdmitAsync<IncidentCoordinationDraft>(request, engagementId, incidentId, IncidentChanges.Supervisors, cancellationToken);
        if (admission.Refused is not null)
            return admission.Refused;
        ValidationErrors errors = IncidentCoordinationRules.Read(admission.Body!, out IncidentCoordination? coordination);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string json = JsonSerializer.Serialize(coordination, ApiJson.Options);
        string caller = admission.Caller;
        IncidentRecord incident = await changes.CommitAsync(engagementId, incidentId, row =>
        {
            if (row.Coordination is not null || row.State != IncidentStates.Open)
                return null;
            row.Coordination = json;
            row.CoordinatedBy = caller;
            return new IncidentChange(new TrailEntry(
                AuditActors.Staff(caller),
                AuditActions.IncidentCoordinated,
                new Dictionary<string, string>
                {
                    ["incidentId"] = incidentId,
                    ["otherPrincipals"] = string.Join(", ", coordination!.OtherPrincipals),
                    ["contactingParty"] = coordination.ContactingParty,
                    ["contactPoint"] = coordination.ContactPoint,
                },
                $"incident.{incidentId}.coordinated"));
        }, durable, cancellationToken);
        return incident.Coordination == json
            ? TypedResults.Ok(IncidentViews.View(incident))
            : Problems.Conflict("The customer contact cannot be decided.", incident.CoordinatedBy is null ? $"Incident {incidentId} is {incident.State}." : $"Already decided by {incident.CoordinatedBy}.");
    }

    /// <summary><c>POST …/client-agreement</c> (7-1): a supervisor records that the client whose data it is agreed to publication.</summary>
    public async Task<IResult> RecordClientAgreementAsync(HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<ClientAgreementBody, IncidentRecord> admission = await changes.AdmitAsync<ClientAgreementBody>(request, engagementId, incidentId, IncidentChanges.Supervisors, cancellationToken);
        if (admission.Refused is not null)
            return admission.Refused;
        var errors = new ValidationErrors();
        errors.RequiredLine("agreedBy", admission.Body!.AgreedBy, IncidentRules.MaxNameLength);
        StaffInput.Reason(admission.Body.Note, errors, "note");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());
        if (admission.Subject!.ReadFacts().HeldForClient is not { } client)
            return Problems.Conflict("The data is not held for a client.", "Only an incident of a client's data (7-1) records the client's agreement.");

        string agreedBy = admission.Body.AgreedBy!.Trim();
        string caller = admission.Caller;
        IncidentRecord incident = await changes.CommitAsync(engagementId, incidentId, row =>
        {
            if (row.ClientAgreedAt is not null || row.State != IncidentStates.Open)
                return null;
            row.ClientAgreedBy = agreedBy;
            row.ClientAgreementRecordedBy = caller;
            row.ClientAgreedAt = time.GetUtcNow();
            return new IncidentChange(new TrailEntry(
                AuditActors.Staff(caller),
                AuditActions.IncidentClientAgreed,
                new Dictionary<string, string> { ["incidentId"] = incidentId, ["client"] = client, ["agreedBy"] = agreedBy, ["note"] = admission.Body.Note!.Trim() },
                $"incident.{incidentId}.client-agreed"));
        }, durable, cancellationToken);
        return incident.ClientAgreedBy == agreedBy
            ? TypedResults.Ok(IncidentViews.View(incident))
            : Problems.Conflict("The client's agreement cannot be recorded.", incident.ClientAgreedBy is null ? $"Incident {incidentId} is {incident.State}." : $"Already recorded: {incident.ClientAgreedBy}.");
    }
}
