using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Supervision.Domain.Audit;

/// <summary>
/// The hash chain of an audit trail. Each entry's hash is SHA-256 over a canonical encoding of the entry and the
/// previous entry's hash; the first entry links to <see cref="GenesisHash"/>. A trail is intact when its entries are
/// numbered 1, 2, 3 … without a gap, each links to the one before, each matches its own hash, and the last is the head.
/// </summary>
public static class AuditChain
{
    /// <summary>What the first entry links to: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Names the encoding, so a later change of it can never verify an old chain by accident.</summary>
    private const string FormatTag = "supervision-audit-v1";

    /// <summary>
    /// Lowercase hex SHA-256 of the canonical form: a sequence of netstrings (<c>&lt;UTF-8 byte length&gt;:&lt;bytes&gt;,</c>)
    /// holding the format tag, the previous hash, the sequence (decimal), the instant (UTC, <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>),
    /// the actor, the action, the number of details, then each detail's key and value in ordinal key order.
    /// Length prefixes make it unambiguous: no text can move from one field into the next.
    /// </summary>
    public static string ComputeHash(string previousHash, long sequence, DateTimeOffset at, string actor, string action, IReadOnlyDictionary<string, string> details)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(details);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, FormatTag);
        Append(hash, previousHash);
        Append(hash, sequence.ToString(CultureInfo.InvariantCulture));
        Append(hash, at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        Append(hash, actor);
        Append(hash, action);
        Append(hash, details.Count.ToString(CultureInfo.InvariantCulture));
        foreach (KeyValuePair<string, string> detail in details.OrderBy(detail => detail.Key, StringComparer.Ordinal))
        {
            Append(hash, detail.Key);
            Append(hash, detail.Value);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The entry that follows <paramref name="head"/> (or starts the trail when there is none).</summary>
    public static AuditEntry Next(AuditHead? head, DateTimeOffset at, string actor, string action, IReadOnlyDictionary<string, string> details)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(details);
        long sequence = (head?.Sequence ?? 0) + 1;
        string previousHash = head?.Hash ?? GenesisHash;
        var copy = new SortedDictionary<string, string>(details.ToDictionary(), StringComparer.Ordinal);
        return new AuditEntry(sequence, at, actor, action, copy, previousHash, ComputeHash(previousHash, sequence, at, actor, action, copy));
    }

    /// <summary>
    /// Checks a trail read in storage order against its head and reports the first sequence where it breaks:
    /// an edited entry (its hash no longer matches), a deleted one (a gap, or fewer entries than the head counts),
    /// reordered ones (numbers out of order, or an entry not linking to the one before), an entry swapped in from
    /// elsewhere (it links to the wrong predecessor), entries appended past the head, or a head that is missing.
    /// </summary>
    public static ChainVerification Verify(IReadOnlyList<AuditEntry> entriesInRowKeyOrder, AuditHead? head)
    {
        ArgumentNullException.ThrowIfNull(entriesInRowKeyOrder);
        IReadOnlyList<AuditEntry> entries = entriesInRowKeyOrder;
        string expectedPrevious = GenesisHash;
        for (int i = 0; i < entries.Count; i++)
        {
            AuditEntry entry = entries[i];
            long expected = i + 1L;
            if (entry.Sequence > expected)
                return ChainVerification.Broken(entries.Count, expected, $"Entry {expected} is missing: entry {expected - 1} is followed by entry {entry.Sequence}.");
            if (entry.Sequence < expected)
                return ChainVerification.Broken(entries.Count, expected, $"Entries are out of order: entry {entry.Sequence} stands where entry {expected} belongs.");
            if (!string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                return ChainVerification.Broken(entries.Count, expected, expected == 1
                    ? "Entry 1 does not start the chain: it links to an entry that is not there."
                    : $"Entry {expected} does not link to entry {expected - 1}: an entry was replaced, moved or removed here.");
            }

            string computed = ComputeHash(entry.PreviousHash, entry.Sequence, entry.At, entry.Actor, entry.Action, entry.Details);
            if (!string.Equals(entry.Hash, computed, StringComparison.Ordinal))
                return ChainVerification.Broken(entries.Count, expected, $"Entry {expected} does not match its hash: it was changed after it was written.");
            expectedPrevious = entry.Hash;
        }

        long count = entries.Count;
        if (head is null)
        {
            return count == 0
                ? ChainVerification.Intact(0, null)
                : ChainVerification.Broken(entries.Count, count + 1, $"The head is missing: whether entries after {count} were removed cannot be told.");
        }

        if (head.Sequence > count)
            return ChainVerification.Broken(entries.Count, count + 1, $"The head counts {head.Sequence} entries but only {count} are there: entry {count + 1} was removed.");
        if (head.Sequence < count)
            return ChainVerification.Broken(entries.Count, head.Sequence + 1, $"Entry {head.Sequence + 1} lies beyond the head, which counts {head.Sequence}: it was not appended through the trail.");
        if (!string.Equals(head.Hash, expectedPrevious, StringComparison.Ordinal))
            return ChainVerification.Broken(entries.Count, count, $"Entry {count} is not the entry the head recorded last: it was replaced.");
        return ChainVerification.Intact(entries.Count, head.Hash);
    }

    /// <summary>
    /// Verifies the chain (<see cref="Verify(IReadOnlyList{AuditEntry}, AuditHead?)"/>), then against its anchors: heads
    /// copied where the table's writers cannot rewrite them. Someone who can write the table can recompute every hash
    /// and the head, and the chain alone looks intact; an anchored entry whose hash no longer matches shows it, and the
    /// last anchor that still matches bounds where the rewrite began.
    /// </summary>
    public static ChainVerification Verify(IReadOnlyList<AuditEntry> entriesInRowKeyOrder, AuditHead? head, IReadOnlyList<AuditAnchor> anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ChainVerification chain = Verify(entriesInRowKeyOrder, head);
        if (!chain.IsIntact || anchors.Count == 0)
            return chain;

        int count = entriesInRowKeyOrder.Count;
        AuditAnchor? matched = null;
        foreach (AuditAnchor anchor in anchors.OrderBy(anchor => anchor.Sequence))
        {
            string since = matched is null ? "from entry 1" : $"after entry {matched.Sequence} (anchored {Day(matched)})";
            long firstSuspect = (matched?.Sequence ?? 0) + 1;
            if (anchor.Sequence > count)
            {
                return ChainVerification.Broken(count, firstSuspect,
                    $"{anchor.Sequence} entries were anchored {Day(anchor)}, but the trail holds {count}: it was cut back and rewritten {since}.");
            }

            if (!string.Equals(entriesInRowKeyOrder[(int)anchor.Sequence - 1].Hash, anchor.Hash, StringComparison.Ordinal))
            {
                return ChainVerification.Broken(count, firstSuspect,
                    $"Entry {anchor.Sequence} is not the entry anchored {Day(anchor)}: the trail was rewritten {since}, and its hashes recomputed.");
            }

            matched = anchor;
        }

        return chain with { Reason = $"{chain.Reason} It matches its {anchors.Count} anchors, the last at entry {matched!.Sequence} ({Day(matched)})." };
    }

    private static string Day(AuditAnchor anchor) => anchor.AnchoredAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static void Append(IncrementalHash hash, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        hash.AppendData(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        hash.AppendData(bytes);
        hash.AppendData(","u8);
    }
}
