using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Closing;
using Supervision.Domain.Engagements;
using Supervision.Domain.Subcontracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Closing;

/// <summary>One tier's return or erasure at the end (2-4, 7-2): a row <c>closing|{tier}</c> in the engagement's partition.</summary>
public sealed class ReturnCertificateRecord : ITableEntity
{
    public const string Prefix = "closing|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RequestId { get; set; } = string.Empty;

    public string Disposition { get; set; } = string.Empty;

    public string Method { get; set; } = string.Empty;

    /// <summary>Japan calendar date, yyyy-MM-dd.</summary>
    public string PerformedOn { get; set; } = string.Empty;

    public string PerformedBy { get; set; } = string.Empty;

    /// <summary>The items certified with their records, as JSON (<see cref="Holding"/> list), and the evidence (certificates of deletion, receipts).</summary>
    public string Items { get; set; } = "[]";

    public string EvidenceIds { get; set; } = string.Empty;

    public string CertifiedBy { get; set; } = string.Empty;

    public DateTimeOffset CertifiedAt { get; set; }

    /// <summary>2-4: the principal's staff member who witnessed the erasure, when that stands in for a certificate of deletion.</summary>
    public string? WitnessedBy { get; set; }

    /// <summary>2-4: for a return, who at the principal acknowledged receiving it, and the date it arrived (yyyy-MM-dd).</summary>
    public string? ReceiptAcknowledgedBy { get; set; }

    public string? ReceivedOn { get; set; }

    public string Tier => RowKey[Prefix.Length..];

    /// <summary>A return is not back until the principal acknowledges receiving it.</summary>
    public bool AwaitsReceipt => Disposition == nameof(Domain.Closing.Disposition.Returned) && ReceiptAcknowledgedBy is null;

    public IReadOnlyList<Holding> ReadItems() => JsonSerializer.Deserialize<Holding[]>(Items, ApiJson.Options) ?? [];

    public static string Key(string tier) => Prefix + tier;
}

/// <summary>
/// 7-5: an item a tier may keep using after the end (customers an agent signed up, who consented), with the basis of
/// that consent: a row <c>kept|{tier}|{item}</c> in the engagement's partition, excluded from what the tier owes.
/// </summary>
public sealed class KeptDataRecord : ITableEntity
{
    public const string Prefix = "kept|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Tier { get; set; } = string.Empty;

    public string DataItem { get; set; } = string.Empty;

    public string ConsentBasis { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Keyed by the item's hash, which any text may be, so one item of one tier is kept once.</summary>
    public static string Key(string tier, string dataItem) =>
        $"{Prefix}{tier}|{ReverseHandoverRecord.Hash(dataItem)}";
}

/// <summary>7-5, the reverse flow: personal data a tier gathered and handed to the principal, a row <c>reverse|{hash}</c> per content.</summary>
public sealed class ReverseHandoverRecord : ITableEntity
{
    public const string Prefix = "reverse|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Tier { get; set; } = string.Empty;

    public string DataItem { get; set; } = string.Empty;

    public int Records { get; set; }

    public string Agreement { get; set; } = string.Empty;

    public string ConsentBasis { get; set; } = string.Empty;

    /// <summary>Japan calendar date, yyyy-MM-dd.</summary>
    public string ReceivedOn { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Keyed by its content, so the same handover recorded twice is one.</summary>
    public static string Key(ReverseHandover handover)
    {
        ArgumentNullException.ThrowIfNull(handover);
        return Prefix + Hash(JsonSerializer.Serialize(handover, ApiJson.Options));
    }

    internal static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..32];
}

/// <summary>The rows the end of an engagement reads and writes, all in its partition.</summary>
public sealed class ClosingStore(TableServiceClient tables, TierStore tiers)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public Task<List<ReturnCertificateRecord>> ListCertificatesAsync(string engagementId, CancellationToken cancellationToken) =>
        table.ListByPrefixAsync<ReturnCertificateRecord>(engagementId, ReturnCertificateRecord.Prefix, cancellationToken);

    /// <summary>Paper or media still out (7-3): they keep the engagement from closing.</summary>
    public async Task<int> CheckoutsOutAsync(string engagementId, CancellationToken cancellationToken) =>
        (await ListCheckoutsAsync(engagementId, cancellationToken)).Count(row => row.ReturnedOn is null);

    public Task<List<CheckoutRecord>> ListCheckoutsAsync(string engagementId, CancellationToken cancellationToken) =>
        table.ListByPrefixAsync<CheckoutRecord>(engagementId, CheckoutRecord.Prefix, cancellationToken);

    public Task<ReturnCertificateRecord?> GetCertificateAsync(string engagementId, string tier, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<ReturnCertificateRecord>(engagementId, ReturnCertificateRecord.Key(tier), cancellationToken);

    public Task<List<ReverseHandoverRecord>> ListReverseHandoversAsync(string engagementId, CancellationToken cancellationToken) =>
        table.ListByPrefixAsync<ReverseHandoverRecord>(engagementId, ReverseHandoverRecord.Prefix, cancellationToken);

    /// <summary>The date of the last handover to <paramref name="tier"/>: nothing it certifies can be done before it.</summary>
    public static DateOnly LastHandoverTo(IEnumerable<HandoverRecord> ledger, string tier) =>
        ledger.Where(row => (row.ToTier ?? Tiers.Contractor) == tier)
            .Select(row => DateOnly.ParseExact(row.HandedOverOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(DateOnly.MinValue)
            .Max();

    /// <summary>What each tier owes, from the ledger and the chain (the contractor, then every subcontractor ever in it).</summary>
    public async Task<(IReadOnlyList<TierReturn> Owed, IReadOnlyList<HandoverRecord> Ledger, IReadOnlyList<TierRecord> Tiers)> OwedAsync(string engagementId, CancellationToken cancellationToken)
    {
        List<HandoverRecord> ledger = await tiers.ListHandoversAsync(engagementId, cancellationToken);
        List<TierRecord> chain = await tiers.ListAsync(engagementId, cancellationToken);
        IEnumerable<(string, int, string?)> members = [(Tiers.Contractor, 1, null), .. chain.Select(tier => (tier.TierId, tier.Depth, (string?)tier.ParentTierId))];
        KeptData[] kept = [.. (await table.ListByPrefixAsync<KeptDataRecord>(engagementId, KeptDataRecord.Prefix, cancellationToken))
            .Select(row => new KeptData(row.Tier, row.DataItem, row.ConsentBasis))];
        return (Returns.Owed(TierStore.Chain(ledger), members, kept), ledger, chain);
    }

    /// <summary>The close record of <paramref name="engagement"/>: what each tier owed and certified, what is still missing.</summary>
    public async Task<ClosureView> CloseRecordAsync(EngagementRecord engagement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        (IReadOnlyList<TierReturn> owed, _, _) = await OwedAsync(engagement.EngagementId, cancellationToken);
        Dictionary<string, ReturnCertificateRecord> certificates = (await ListCertificatesAsync(engagement.EngagementId, cancellationToken)).ToDictionary(row => row.Tier, StringComparer.Ordinal);
        HashSet<string> certified = [.. certificates.Keys];
        HashSet<string> receiptsOwed = [.. certificates.Values.Where(row => row.AwaitsReceipt).Select(row => row.Tier)];
        int checkoutsOut = await CheckoutsOutAsync(engagement.EngagementId, cancellationToken);
        ReverseHandoverView[] reverse = [.. (await ListReverseHandoversAsync(engagement.EngagementId, cancellationToken))
            .OrderBy(row => row.RecordedAt)
            .Select(row => new ReverseHandoverView(row.Tier, row.DataItem, row.Records, row.Agreement, row.ConsentBasis, row.ReceivedOn, row.RecordedBy))];
        TierReturnView[] tiers = [.. owed.Select(tier => new TierReturnView(
            tier.Tier,
            tier.Depth,
            tier.Parent,
            tier.Owed,
            tier.Kept,
            certificates.TryGetValue(tier.Tier, out ReturnCertificateRecord? row)
                ? new CertificateView(
                    row.Disposition, row.Method, row.PerformedOn, row.PerformedBy, row.EvidenceIds.Split(',', StringSplitOptions.RemoveEmptyEntries), row.CertifiedBy, row.CertifiedAt,
                    row.WitnessedBy, row.ReceiptAcknowledgedBy, row.ReceivedOn)
                : null,
            Returns.Counts(tier.Tier, owed, certified)))];
        return new ClosureView(
            engagement.EngagementId,
            engagement.Stage,
            engagement.EndedBy,
            engagement.EndReason,
            tiers,
            reverse,
            checkoutsOut,
            engagement.Stage == nameof(EngagementStage.Closed) ? [] : Returns.Missing(owed, certified, checkoutsOut, receiptsOwed),
            engagement.ClosedBy,
            engagement.CloseReason,
            engagement.ClosedAt,
            engagement.RetainUntil);
    }
}
