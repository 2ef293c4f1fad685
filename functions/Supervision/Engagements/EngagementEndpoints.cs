using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Contracts;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Staff;
using Supervision.Durable;
using Supervision.Http;
using Supervision.Incidents;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Selection;

namespace Supervision.Engagements;

/// <summary>Procurement starts onboarding; anyone on the staff side reads an engagement's state.</summary>
public sealed class EngagementEndpoints(
    EngagementStore store,
    EngagementWaits waits,
    IncidentStore incidents,
    AuditLog audit,
    EventOutbox outbox,
    EngagementRegistry registry,
    StaffCalls calls,
    TimeProvider time,
    ILogger<EngagementEndpoints> logger)
{
    public const string CollectionRoute = "api/engagements";
    public const string ItemRoute = "api/engagements/{engagementId}";
    public const string DecisionRoute = "api/engagements/{engagementId}/selection-decision";

    private static readonly StaffRule Starting = StaffRule.ToChange(StaffRole.Procurement) with { TakesIdempotencyKey = true };
    private static readonly StaffRule Deciding = StaffRule.ToChange(StaffRole.Supervisor);

    /// <summary>
    /// <c>POST /api/engagements</c>: validates, records the engagement, starts its workflow (instance id = engagement id)
    /// and answers 202 with where to read its state. The same <c>Idempotency-Key</c> again answers with the same engagement.
    /// </summary>
    public async Task<IResult> StartAsync(HttpRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<OnboardingDraft> call = await calls.AdmitAsync(request, Starting.Taking<OnboardingDraft>(), engagementId: null, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        ValidationErrors errors = OnboardingRules.Validate(call.Body!, out OnboardingRequest? onboarding);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string requestJson = JsonSerializer.Serialize(onboarding, ApiJson.Options);
        if (requestJson.Length > EngagementRecord.MaxRequestLength)
        {
            return Problems.TooLarge(
                "The onboarding request is too large to record.",
                $"Recorded, it would take {requestJson.Length} characters; at most {EngagementRecord.MaxRequestLength} fit. List fewer or shorter data items.");
        }

        string caller = call.Caller;
        DateTimeOffset now = time.GetUtcNow();
        var record = new EngagementRecord
        {
            PartitionKey = call.IdempotencyKey is null ? EngagementIds.New() : EngagementIds.FromIdempotencyKey(caller, call.IdempotencyKey),
            ContractorName = onboarding!.Contractor.Name,
            Stage = EngagementStage.Received.ToString(),
            Request = requestJson,
            RequestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestJson))),
            CreatedAt = now,
            StageChangedAt = now,
            Supervisor = onboarding.Supervisor,
            SupervisorAssignedBy = onboarding.Supervisor is null ? null : caller,
            SupervisorAssignedAt = onboarding.Supervisor is null ? null : now,
        };

        // Registered first, so the sweep finds it whatever happens next; then one write: its row and its trail's first entry.
        await registry.RegisterAsync(record.EngagementId, cancellationToken);
        var started = new Dictionary<string, string> { ["contractor"] = record.ContractorName, ["requestHash"] = record.RequestHash };
        if (onboarding.Supervisor is { } supervisor)
            started["supervisor"] = supervisor;
        var entry = new TrailEntry(AuditActors.Staff(caller), AuditActions.EngagementStarted, started, AuditActions.EngagementStarted);
        bool created = await audit.CommitAsync(
            record.EngagementId, [new TableTransactionAction(TableTransactionActionType.Add, record)], [entry], cancellationToken, newTrail: true) == TrailCommit.Committed;
        EngagementRecord stored = created ? record : (await store.GetAsync(record.EngagementId, cancellationToken))!;
        if (!created && stored.RequestHash != record.RequestHash)
        {
            return Problems.Conflict(
                "The idempotency key was already used for a different request.",
                $"Engagement {stored.EngagementId} was started with this {StaffInput.IdempotencyKeyHeader}; use a new key for a new engagement.");
        }

        // A new id has no instance to look for. A repeat starts the workflow if a crash came between the commit and the start.
        if (created)
            await DurableStarts.StartNewAsync(durable, nameof(EngagementWorkflow), new EngagementWorkflowInput(stored.EngagementId), stored.EngagementId, cancellationToken);
        else
            await DurableStarts.StartOnceAsync(durable, nameof(EngagementWorkflow), new EngagementWorkflowInput(stored.EngagementId), stored.EngagementId, cancellationToken);
        if (created)
            logger.LogInformation("Engagement {EngagementId} started for contractor {Contractor}", stored.EngagementId, stored.ContractorName);

        string location = $"/{CollectionRoute}/{stored.EngagementId}";
        return TypedResults.Accepted(location, new EngagementAccepted(stored.EngagementId, Enum.Parse<EngagementStage>(stored.Stage), location));
    }

    /// <summary><c>GET /api/engagements/{id}</c>: the engagement's stage, its request and its workflow's state.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        EngagementRecord record = call.Engagement!;
        OrchestrationMetadata? workflow = await durable.GetInstanceAsync(engagementId, cancellationToken);
        EngagementStage stage = Enum.Parse<EngagementStage>(record.Stage);
        return TypedResults.Ok(new EngagementView(
            record.EngagementId,
            stage,
            record.StageChangedAt,
            record.CreatedAt,
            record.Onboarding(),
            workflow is null ? null : new WorkflowView(workflow.RuntimeStatus.ToString(), workflow.CreatedAt, workflow.LastUpdatedAt),
            await waits.ForAsync(record, cancellationToken),
            record.CriteriaVersion,
            record.Score is null ? null : JsonDocument.Parse(record.Score).RootElement.Clone(),
            record.RiskTier is null ? null : JsonNamingPolicy.CamelCase.ConvertName(record.RiskTier),
            record.Decision is null ? null : new DecisionView(record.Decision, record.DecisionReason ?? string.Empty, record.DecidedBy ?? string.Empty),
            stage >= EngagementStage.ContractRequested ? ContractEndpoints.View(record) : null,
            [.. (await incidents.ListAsync(engagementId, cancellationToken)).Where(incident => incident.State == IncidentStates.Open)
                .Select(incident => IncidentViews.View(incident)).Select(view => new OpenIncidentView(view.Id, view.Facts.Kind, view.PrincipalLearnedAt, view.NextDeadline))],
            SupervisorEndpoints.View(record)));
    }

    /// <summary>
    /// <c>POST /api/engagements/{id}/selection-decision</c>: a supervisor approves or rejects the contractor with a written
    /// reason (1-4). Recorded on the row (ETag-conditional, once), audited, and raised to the waiting workflow.
    /// </summary>
    public async Task<IResult> DecideAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<SelectionDecisionBody> call = await calls.AdmitAsync(request, Deciding.Taking<SelectionDecisionBody>(ValidateDecision), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        EngagementRecord record = call.Engagement!;
        string reason = ReasonOf(call.Body!);
        bool approved = call.Body!.Approve!.Value;
        string decision = approved ? "approved" : "rejected";
        if (record.Stage == nameof(EngagementStage.UnderReview) && record.Decision == decision && record.DecisionReason == reason)
        {
            // The same decision again while the workflow still waits: deliver what the first one still owes, or, for a
            // decision recorded without its event (before the outbox), tell the workflow and write the trail entry now.
            if (!await outbox.TryDeliverAsync(durable, engagementId, AuditActions.SelectionDecided, cancellationToken))
                await outbox.TellAsync(durable, engagementId, Decided(record), cancellationToken);
            return TypedResults.Accepted($"/{CollectionRoute}/{engagementId}", new { id = engagementId, decision = record.Decision });
        }

        if (record.Stage != nameof(EngagementStage.UnderReview) || record.Decision is not null)
        {
            return Problems.Conflict(
                "The engagement is not waiting for a selection decision.",
                $"It is at stage {JsonNamingPolicy.CamelCase.ConvertName(record.Stage)}{(record.Decision is null ? string.Empty : ", already decided")}.");
        }

        string decidedBy = call.Caller;
        record.Decision = decision;
        record.DecisionReason = reason;
        record.DecidedBy = decidedBy;
        if (!await outbox.CommitAsync(record, AuditActions.SelectionDecided, Decided(record), cancellationToken))
            return Problems.Conflict("The engagement changed while the decision was recorded.", "Read it again and decide on what it is now.");

        await outbox.TryDeliverAsync(durable, engagementId, AuditActions.SelectionDecided, cancellationToken);
        logger.LogInformation("Engagement {EngagementId} selection {Decision} by {DecidedBy}", engagementId, record.Decision, decidedBy);
        return TypedResults.Accepted($"/{CollectionRoute}/{engagementId}", new { id = engagementId, decision = record.Decision });
    }

    private static ValidationErrors ValidateDecision(SelectionDecisionBody body)
    {
        var errors = new ValidationErrors();
        if (body.Approve is null)
            errors.Add("approve", "is required: true to select the contractor, false to reject it.");
        if (ReasonOf(body).Length is < StaffInput.MinReasonLength or > StaffInput.MaxReasonLength)
            errors.Add("reason", $"is required: {StaffInput.MinReasonLength} to {StaffInput.MaxReasonLength} characters saying why.");
        return errors;
    }

    private static string ReasonOf(SelectionDecisionBody body) => body.Reason?.Trim() ?? string.Empty;

    /// <summary>What a recorded selection decision owes: the waiting workflow's event and the trail entry.</summary>
    private static OwedEvent Decided(EngagementRecord record) => new(
        record.EngagementId,
        nameof(SelectionDecided),
        new SelectionDecided(record.Decision == "approved", record.DecisionReason ?? string.Empty, record.DecidedBy ?? string.Empty),
        new TrailEntry(
            AuditActors.Staff(record.DecidedBy ?? string.Empty),
            AuditActions.SelectionDecided,
            new Dictionary<string, string>
            {
                ["decision"] = record.Decision ?? string.Empty,
                ["reason"] = record.DecisionReason ?? string.Empty,
                ["riskTier"] = record.RiskTier ?? string.Empty,
                ["criteriaVersion"] = record.CriteriaVersion ?? string.Empty,
            },
            AuditActions.SelectionDecided));
}

public sealed record EngagementAccepted(string Id, EngagementStage Stage, string StatusUrl);

public sealed record EngagementView(
    string Id,
    EngagementStage Stage,
    DateTimeOffset StageChangedAt,
    DateTimeOffset CreatedAt,
    OnboardingRequest Request,
    WorkflowView? Workflow,
    IReadOnlyList<WaitingOnView> WaitingOn,
    string? CriteriaVersion = null,
    JsonElement? Score = null,
    string? RiskTier = null,
    DecisionView? Decision = null,
    ContractView? Contract = null,
    IReadOnlyList<OpenIncidentView>? OpenIncidents = null,
    AssignedSupervisorView? Supervisor = null);

/// <summary>An incident still open on the engagement (6-1): the principal sees it with the engagement, and its next deadline.</summary>
public sealed record OpenIncidentView(string Id, Domain.Incidents.IncidentKind Kind, DateTimeOffset PrincipalLearnedAt, DateTimeOffset? NextDeadline);

/// <param name="Items">The stable codes of what is awaited, when there is more than one thing (e.g. <c>clause:Confidentiality</c>).</param>
public sealed record WaitingOnView(string Who, string What, DateTimeOffset? DueAt, IReadOnlyList<string>? Items = null);

public sealed record DecisionView(string Outcome, string Reason, string DecidedBy);

public sealed record SelectionDecisionBody(bool? Approve, string? Reason);

public sealed record WorkflowView(string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt);
