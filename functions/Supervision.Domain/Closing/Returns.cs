using Supervision.Domain.Common;
using Supervision.Domain.Subcontracts;

namespace Supervision.Domain.Closing;

/// <summary>How a tier disposed of what it held (2-4): given back to the principal, or erased.</summary>
public enum Disposition
{
    Returned,
    Erased,
}

/// <summary>
/// 7-5: data the contract lets a tier keep using (customers an agent signed up, who consented), with the basis of that
/// consent. It is not owed back, and it shows on the close record.
/// </summary>
public sealed record KeptData(string Tier, string DataItem, string ConsentBasis);

/// <summary>
/// 7-5, the reverse flow: personal data a tier gathered itself (people who did not become customers) and hands to the
/// principal, under the agreement that allows it (<paramref name="Agreement"/>) and with the people's consent.
/// </summary>
public sealed record ReverseHandover(string Tier, string DataItem, int Records, string Agreement, string ConsentBasis, DateOnly ReceivedOn);

/// <summary>What one tier owes at the end: each item it holds with its records (from the ledger), less what it may keep.</summary>
public sealed record TierReturn(string Tier, int Depth, string? Parent, IReadOnlyList<Holding> Owed, IReadOnlyList<KeptData> Kept);

/// <summary>
/// A tier's answer: the disposition of each item it held, how, when, by whom; for an erasure, its certificate of deletion
/// or, in its place, the principal's witness of it (<paramref name="WitnessedBy"/>, 2-4).
/// </summary>
public sealed record ReturnCertificate(
    Disposition Disposition, string Method, DateOnly PerformedOn, string PerformedBy, IReadOnlyList<string> ItemsCertified, bool CertificateUploaded, string? WitnessedBy = null);

public static class Returns
{
    public const int MaxTextLength = 200;

    /// <summary>
    /// 2-4, 7-2: what each tier owes, read from the ledger (whatever was handed to it), less what it may keep (7-5). A tier
    /// that holds nothing owes nothing and is not asked.
    /// </summary>
    public static IReadOnlyList<TierReturn> Owed(
        IEnumerable<ChainHandover> ledger, IEnumerable<(string Tier, int Depth, string? Parent)> tiers, IReadOnlyCollection<KeptData> kept)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(tiers);
        ArgumentNullException.ThrowIfNull(kept);
        IReadOnlyDictionary<string, TierHoldings> holdings = ChainHoldings.ByTier(ledger);
        var owed = new List<TierReturn>();
        foreach ((string tier, int depth, string? parent) in tiers)
        {
            if (!holdings.TryGetValue(tier, out TierHoldings? held))
                continue;
            KeptData[] keeps = [.. kept.Where(keep => keep.Tier == tier)];
            Holding[] items = [.. held.Items.Where(holding => keeps.All(keep => keep.DataItem != holding.DataItem))];
            owed.Add(new TierReturn(tier, depth, parent, items, keeps));
        }

        return owed;
    }

    /// <summary>
    /// 7-2 bottom-up: the tiers in the order they are asked — the deepest first — so that a tier is asked only once every
    /// tier below it has certified, and a certificate never counts while data is still out below it.
    /// </summary>
    public static IReadOnlyList<TierReturn> BottomUp(IReadOnlyList<TierReturn> owed)
    {
        ArgumentNullException.ThrowIfNull(owed);
        return [.. owed.OrderByDescending(tier => tier.Depth).ThenBy(tier => tier.Tier, StringComparer.Ordinal)];
    }

    /// <summary>Whether a tier's certificate counts: it certified, and so did every tier below it that owed anything.</summary>
    public static bool Counts(string tier, IReadOnlyList<TierReturn> owed, IReadOnlySet<string> certified)
    {
        ArgumentNullException.ThrowIfNull(owed);
        ArgumentNullException.ThrowIfNull(certified);
        return certified.Contains(tier) && owed.Where(child => child.Parent == tier).All(child => Counts(child.Tier, owed, certified));
    }

    public const int MaxRecords = 10_000_000;

    /// <summary>
    /// 7-5: the principal accepts data a tier gathered only under the recorded agreement that allows it and with the
    /// people's consent; what arrived, how many records, and when (not in the future) are named.
    /// </summary>
    public static ValidationErrors CheckReverse(ReverseHandover handover, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(handover);
        var errors = new ValidationErrors();
        errors.RequiredLine("dataItem", handover.DataItem, MaxTextLength);
        errors.Range("records", handover.Records, 1, MaxRecords);
        errors.RequiredLine("agreement", handover.Agreement, MaxTextLength);
        errors.RequiredLine("consentBasis", handover.ConsentBasis, MaxTextLength);
        errors.NotInFuture("receivedOn", handover.ReceivedOn, today);
        return errors;
    }

    /// <summary>
    /// 2-4: a certificate covers every item the tier owes and nothing it never held; it is dated no earlier than the last
    /// handover to the tier and not in the future; an erasure comes with its certificate of deletion.
    /// </summary>
    public static ValidationErrors Check(TierReturn owed, ReturnCertificate certificate, DateOnly lastHandover, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(owed);
        ArgumentNullException.ThrowIfNull(certificate);
        var errors = new ValidationErrors();
        string[] missing = [.. owed.Owed.Select(holding => holding.DataItem).Where(item => !certificate.ItemsCertified.Contains(item))];
        if (missing.Length > 0)
            errors.Add("items", $"every item held must be returned or erased; not certified: {string.Join(", ", missing)}.");
        string[] unknown = [.. certificate.ItemsCertified.Where(item => owed.Owed.All(holding => holding.DataItem != item))];
        if (unknown.Length > 0)
            errors.Add("items", $"certifies items the tier never held (or may keep): {string.Join(", ", unknown)}.");
        errors.RequiredLine("method", certificate.Method, MaxTextLength);
        errors.RequiredLine("performedBy", certificate.PerformedBy, MaxTextLength);
        errors.NotInFuture("performedOn", certificate.PerformedOn, today);
        if (certificate.PerformedOn < lastHandover)
            errors.Add("performedOn", $"must not be before the last handover to the tier ({lastHandover:yyyy-MM-dd}).");
        if (certificate.Disposition == Disposition.Erased && !certificate.CertificateUploaded && string.IsNullOrWhiteSpace(certificate.WitnessedBy))
            errors.Add("certificate", "an erasure needs its certificate of deletion uploaded, or the principal's witness of it (2-4).");
        return errors;
    }

    /// <summary>
    /// What keeps an engagement from closing: a tier whose certificate does not count yet, a return whose receipt the
    /// principal has not acknowledged (2-4: data given back is not back until the principal has it), paper or media still
    /// out (7-3).
    /// </summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<TierReturn> owed, IReadOnlySet<string> certified, int checkoutsOut, IReadOnlySet<string>? receiptsNotAcknowledged = null)
    {
        ArgumentNullException.ThrowIfNull(owed);
        var missing = new List<string>();
        missing.AddRange(owed.Where(tier => !Counts(tier.Tier, owed, certified)).Select(tier => $"tier {tier.Tier}: return or erasure not certified"));
        missing.AddRange(owed.Where(tier => receiptsNotAcknowledged?.Contains(tier.Tier) == true).Select(tier => $"tier {tier.Tier}: receipt of the return not acknowledged by the principal (2-4)"));
        if (checkoutsOut > 0)
            missing.Add($"{checkoutsOut} checkout(s) of paper or media not returned (7-3)");
        return missing;
    }
}
