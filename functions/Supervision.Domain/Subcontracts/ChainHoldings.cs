namespace Supervision.Domain.Subcontracts;

/// <summary>One handover as the chain reads it: to which tier, which items, how many records.</summary>
public sealed record ChainHandover(string ToTier, IReadOnlyList<string> DataItems, int RecordCount);

/// <summary>An item a tier holds and the records of it handed to the tier.</summary>
public sealed record Holding(string DataItem, long Records);

/// <summary>What one tier holds: each item with its records, and the records handed to it in all.</summary>
public sealed record TierHoldings(IReadOnlyList<Holding> Items, long Records)
{
    public static TierHoldings None { get; } = new([], 0);
}

/// <summary>
/// Who holds what, read from the ledger (7-2: the principal must always be able to say which tier holds which data):
/// every handover to a tier adds its record count to each item it carried.
/// </summary>
public static class ChainHoldings
{
    public static IReadOnlyDictionary<string, TierHoldings> ByTier(IEnumerable<ChainHandover> handovers)
    {
        ArgumentNullException.ThrowIfNull(handovers);
        return handovers
            .GroupBy(handover => handover.ToTier, StringComparer.Ordinal)
            .ToDictionary(
                tier => tier.Key,
                tier => new TierHoldings(
                    [.. tier
                        .SelectMany(handover => handover.DataItems.Select(item => (Item: item, handover.RecordCount)))
                        .GroupBy(pair => pair.Item, StringComparer.Ordinal)
                        .Select(item => new Holding(item.Key, item.Sum(pair => (long)pair.RecordCount)))
                        .OrderBy(holding => holding.DataItem, StringComparer.Ordinal)],
                    tier.Sum(handover => (long)handover.RecordCount)),
                StringComparer.Ordinal);
    }

    /// <summary>The items a tier holds: what may be handed on from it.</summary>
    public static IReadOnlySet<string> ItemsHeld(IEnumerable<ChainHandover> handovers, string tierId) =>
        handovers.Where(handover => handover.ToTier == tierId).SelectMany(handover => handover.DataItems).ToHashSet(StringComparer.Ordinal);
}
