using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Subcontracts;
using Supervision.Http;
using Supervision.Storage;

namespace Supervision.Kernel;

/// <summary>
/// One subcontractor in the chain below the contractor (3-1, 3-2, 7-2): a row <c>tier|{id}</c> in the engagement's
/// partition of the Engagements table, beside the ledger that says what it holds. The contractor itself is the tier
/// <see cref="Tiers.Contractor"/> and has no row: the engagement is its row.
/// </summary>
public sealed class TierRecord : ITableEntity
{
    public const string Prefix = "tier|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ParentTierId { get; set; } = Tiers.Contractor;

    /// <summary>1 is the contractor, 2 its subcontractor (再委託), 3 the next (再々委託).</summary>
    public int Depth { get; set; }

    /// <summary>The tier ids from the contractor down to this one, separated by <c>/</c>.</summary>
    public string Path { get; set; } = string.Empty;

    public string CompanyName { get; set; } = string.Empty;

    public string? CorporateNumber { get; set; }

    public string ContactName { get; set; } = string.Empty;

    public string ContactEmail { get; set; } = string.Empty;

    public string Language { get; set; } = "ja";

    public string Work { get; set; } = string.Empty;

    /// <summary>The data items the tier may receive, as a JSON array: a subset of what its parent may hold.</summary>
    public string DataItems { get; set; } = "[]";

    public string WorkSite { get; set; } = string.Empty;

    /// <summary>Japan calendar dates, yyyy-MM-dd.</summary>
    public string PlannedStart { get; set; } = string.Empty;

    public string PlannedEnd { get; set; } = string.Empty;

    /// <summary>The policy of the contract above, under which the tier was requested.</summary>
    public string GovernedBy { get; set; } = string.Empty;

    /// <summary>The policy the subcontract sets for this tier's own subcontractors: never looser than <see cref="GovernedBy"/>.</summary>
    public string Policy { get; set; } = string.Empty;

    public bool AttestsCriteriaMet { get; set; }

    /// <summary>The work statement of 7-2 ① ③ as JSON (<see cref="Domain.Subcontracts.WorkStatement"/>).</summary>
    public string WorkStatement { get; set; } = "{}";

    public string SignedSubcontractEvidenceId { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string RequestedBy { get; set; } = string.Empty;

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>SHA-256 of the validated request: a repeated idempotency key must carry the same request.</summary>
    public string RequestHash { get; set; } = string.Empty;

    /// <summary>The subcontractor's own due diligence (the selection questionnaire), and its score and risk once answered.</summary>
    public string? DueDiligenceRequestId { get; set; }

    public string? Score { get; set; }

    public double? ScorePercentage { get; set; }

    /// <summary>The certificates the subcontractor stated in its due diligence, as JSON: the daily sweep chases their renewal.</summary>
    public string? Certificates { get; set; }

    public string? RiskTier { get; set; }

    /// <summary>"approved" or "rejected", by whom, when and why.</summary>
    public string? Decision { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionReason { get; set; }

    /// <summary>A report after the fact, acknowledged by a supervisor.</summary>
    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgementNote { get; set; }

    public string? SuspendedBy { get; set; }

    public DateTimeOffset? SuspendedAt { get; set; }

    public string? SuspensionReason { get; set; }

    public string EngagementId => PartitionKey;

    public string TierId => RowKey[Prefix.Length..];

    public SubcontractStatus CurrentStatus => Enum.Parse<SubcontractStatus>(Status);

    public IReadOnlyList<string> Items() => JsonSerializer.Deserialize<string[]>(DataItems, ApiJson.Options) ?? [];

    public WorkStatement Statement() => JsonSerializer.Deserialize<WorkStatement>(WorkStatement, ApiJson.Options)!;

    /// <summary>Whether a supervisor still owes this tier a decision (prior approval, or a failed criteria check) or an acknowledgement.</summary>
    public bool AwaitsStaff => CurrentStatus == SubcontractStatus.AwaitingApproval
        || (CurrentStatus == SubcontractStatus.InForce && GovernedBy == nameof(Domain.Contracts.SubcontractPolicy.ReportAfterTheFact) && AcknowledgedAt is null);

    public static string Key(string tierId) => Prefix + tierId;
}

public static class Tiers
{
    /// <summary>The id the contractor goes by in the chain (depth 1).</summary>
    public const string Contractor = "contractor";

    /// <summary>The durable instance that follows one tier: <c>{engagementId}-tier-{tierId}</c>.</summary>
    public static string InstanceId(string engagementId, string tierId) => $"{engagementId}-tier-{tierId}";
}

/// <summary>The chain's rows: its tiers and the ledger's handovers, both in the engagement's partition.</summary>
public sealed class TierStore(TableServiceClient tables)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public Task<TierRecord?> GetAsync(string engagementId, string tierId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<TierRecord>(engagementId, TierRecord.Key(tierId), cancellationToken);

    public Task<List<TierRecord>> ListAsync(string engagementId, CancellationToken cancellationToken) =>
        table.ListByPrefixAsync<TierRecord>(engagementId, TierRecord.Prefix, cancellationToken);

    public Task<List<HandoverRecord>> ListHandoversAsync(string engagementId, CancellationToken cancellationToken) =>
        table.ListByPrefixAsync<HandoverRecord>(engagementId, HandoverRecord.Prefix, cancellationToken);

    /// <summary>The ledger as the chain reads it: each handover to the tier that received it (the contractor's own id when no tier is named).</summary>
    public static IEnumerable<ChainHandover> Chain(IEnumerable<HandoverRecord> handovers) =>
        handovers.Select(handover => new ChainHandover(
            handover.ToTier ?? Tiers.Contractor,
            JsonSerializer.Deserialize<string[]>(handover.DataItems, ApiJson.Options) ?? [],
            handover.RecordCount));

    /// <summary>Applies <paramref name="change"/> ETag-conditionally (<see cref="TableClientExtensions.UpdateAsync{T}"/>).</summary>
    public Task<TierRecord?> UpdateAsync(string engagementId, string tierId, Func<TierRecord, bool> change, CancellationToken cancellationToken) =>
        table.UpdateAsync(engagementId, TierRecord.Key(tierId), change, cancellationToken);
}
