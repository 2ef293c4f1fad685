using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Engagements;
using Supervision.Http;

namespace Supervision.Kernel;

/// <summary>The engagement's main row in <see cref="Storage.TableNames.Engagements"/>.</summary>
public sealed class EngagementRecord : ITableEntity
{
    public const string MainRowKey = "engagement";

    /// <summary>A table string property holds at most 64 KiB of UTF-16, i.e. 32,768 characters.</summary>
    public const int MaxRequestLength = 32_000;

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = MainRowKey;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ContractorName { get; set; } = string.Empty;

    public string Stage { get; set; } = string.Empty;

    /// <summary>The validated onboarding request, as JSON.</summary>
    public string Request { get; set; } = string.Empty;

    /// <summary>SHA-256 of <see cref="Request"/>: a repeated idempotency key must carry the same request.</summary>
    public string RequestHash { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset StageChangedAt { get; set; }

    /// <summary>The version of the selection criteria the contractor was asked and scored against.</summary>
    public string? CriteriaVersion { get; set; }

    /// <summary>The vendor request of the due-diligence questionnaire, and when its answers are due.</summary>
    public string? DueDiligenceRequestId { get; set; }

    public DateTimeOffset? DueDiligenceDueAt { get; set; }

    /// <summary>The score breakdown, as JSON.</summary>
    public string? Score { get; set; }

    public string? RiskTier { get; set; }

    /// <summary>The certificates the contractor stated in due diligence, as JSON: their expiry is watched while the work runs.</summary>
    public string? Certificates { get; set; }

    /// <summary>"approved" or "rejected", with the supervisor's mandatory reason.</summary>
    public string? Decision { get; set; }

    public string? DecisionReason { get; set; }

    public string? DecidedBy { get; set; }

    /// <summary>The contract request to the contractor (signed contract, agreement to the split of responsibility), and when it is due.</summary>
    public string? ContractRequestId { get; set; }

    public DateTimeOffset? ContractDueAt { get; set; }

    /// <summary>The clauses of 2-1 a supervisor confirmed in the signed contract, comma-separated <see cref="Domain.Contracts.ContractClause"/> names.</summary>
    public string? ConfirmedClauses { get; set; }

    /// <summary>The data-handover terms of 2-4 as recorded by staff, as JSON (<see cref="Domain.Contracts.HandoverTerms"/>).</summary>
    public string? HandoverTerms { get; set; }

    /// <summary>The contract's term, Japan calendar dates (yyyy-MM-dd): reports are scheduled from its start.</summary>
    public string? ContractStartsOn { get; set; }

    public string? ContractEndsOn { get; set; }

    /// <summary>The signed contract the contractor uploaded (an accepted evidence id).</summary>
    public string? SignedContractEvidenceId { get; set; }

    /// <summary>When the contractor agreed, through its link, to the split of responsibility (2-2), and which link it used.</summary>
    public DateTimeOffset? ResponsibilitySplitAgreedAt { get; set; }

    public string? ResponsibilitySplitAgreedBy { get; set; }

    /// <summary>When the contract became complete (every gate item present) and data could first be handed over.</summary>
    public DateTimeOffset? ContractCompletedAt { get; set; }

    /// <summary>How the work ended (its planned end, or a supervisor's termination), by whom and why.</summary>
    public string? EndedBy { get; set; }

    public string? EndReason { get; set; }

    /// <summary>Who closed the engagement once every tier certified, why, and when.</summary>
    public string? ClosedBy { get; set; }

    public string? CloseReason { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The last day (yyyy-MM-dd, Japan) a closed engagement's records and evidence are kept, fixed when it closed.</summary>
    public string? RetainUntil { get; set; }

    /// <summary>The staff user who supervises the engagement (as the identity names them), who assigned them, and when.</summary>
    public string? Supervisor { get; set; }

    public string? SupervisorAssignedBy { get; set; }

    public DateTimeOffset? SupervisorAssignedAt { get; set; }

    /// <summary>How many times a supervisor was assigned after onboarding: the trail entry of the n-th is keyed by it.</summary>
    public int SupervisorAssignments { get; set; }

    public string EngagementId => PartitionKey;

    /// <summary>The onboarding request the engagement was started with: its contractor, contact and datasets.</summary>
    public OnboardingRequest Onboarding() => JsonSerializer.Deserialize<OnboardingRequest>(Request, ApiJson.Options)!;
}
