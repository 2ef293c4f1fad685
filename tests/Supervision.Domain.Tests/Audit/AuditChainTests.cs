using Supervision.Domain.Audit;

namespace Supervision.Domain.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2027, 1, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ComputeHash_IsStable_SoTrailsWrittenEarlierStillVerify()
    {
        // Pins the canonical form (computed independently): changing the encoding in any way breaks every stored trail.
        string hash = AuditChain.ComputeHash(
            AuditChain.GenesisHash,
            1,
            new DateTimeOffset(2027, 1, 15, 18, 30, 0, TimeSpan.FromHours(9)),
            "staff:hanako",
            "engagement.started",
            new Dictionary<string, string> { ["contractor"] = "株式会社サンプル印刷", ["stage"] = "received" });

        Assert.Equal("14386b6be677f8fe2c8927c66fad54143dd1eeeff7bf49430fe66f619807a342", hash);
    }

    [Fact]
    public void ComputeHash_IsLowercaseHexSha256()
    {
        string hash = AuditChain.ComputeHash(AuditChain.GenesisHash, 1, Start, "system", "a", new Dictionary<string, string>());

        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void ComputeHash_IsUnambiguous_WhenTextMovesFromOneFieldToTheNext()
    {
        Assert.NotEqual(Hash(actor: "staff:a", action: "b.c"), Hash(actor: "staff:ab", action: ".c"));
        Assert.NotEqual(
            Hash(details: new Dictionary<string, string> { ["a"] = "bc" }),
            Hash(details: new Dictionary<string, string> { ["ab"] = "c" }));
        Assert.NotEqual(
            Hash(details: new Dictionary<string, string> { ["a"] = "b", ["c"] = "d" }),
            Hash(details: new Dictionary<string, string> { ["a"] = "b,1:c,1:d" }));
    }

    [Fact]
    public void ComputeHash_ChangesWithEveryField()
    {
        string original = Hash();

        Assert.All(
            new[]
            {
                Hash(previousHash: new string('1', 64)),
                Hash(sequence: 2),
                Hash(at: Start.AddTicks(1)),
                Hash(actor: "staff:taro"),
                Hash(action: "engagement.stage-changed"),
                Hash(details: new Dictionary<string, string> { ["stage"] = "selectionRequested" }),
                Hash(details: new Dictionary<string, string> { ["stage"] = "received", ["extra"] = string.Empty }),
            },
            changed => Assert.NotEqual(original, changed));
    }

    [Fact]
    public void ComputeHash_DependsOnTheInstant_NotOnTheOffsetItWasWrittenIn()
    {
        Assert.Equal(Hash(at: Start), Hash(at: Start.ToOffset(TimeSpan.FromHours(9))));
    }

    [Fact]
    public void ComputeHash_DoesNotDependOnTheOrderDetailsWereAddedIn()
    {
        Assert.Equal(
            Hash(details: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }),
            Hash(details: new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
    }

    [Fact]
    public void Next_StartsTheChainFromTheGenesisHash_WhenThereIsNoHead()
    {
        AuditEntry first = AuditChain.Next(null, Start, "system", "engagement.started", new Dictionary<string, string>());

        Assert.Equal(1, first.Sequence);
        Assert.Equal(new string('0', 64), first.PreviousHash);
        Assert.Equal(AuditChain.ComputeHash(first.PreviousHash, 1, Start, "system", "engagement.started", first.Details), first.Hash);
    }

    [Fact]
    public void Next_LinksToTheHead()
    {
        AuditEntry first = AuditChain.Next(null, Start, "system", "a", new Dictionary<string, string>());

        AuditEntry second = AuditChain.Next(new AuditHead(first.Sequence, first.Hash), Start, "system", "b", new Dictionary<string, string>());

        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.Hash, second.PreviousHash);
    }

    [Fact]
    public void Verify_IsIntact_ForAnUntouchedTrail()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.True(result.IsIntact, result.Reason);
        Assert.Equal(5, result.EntryCount);
        Assert.Null(result.FirstBrokenSequence);
        Assert.Equal(entries[^1].Hash, result.HeadHash);
    }

    [Fact]
    public void Verify_IsIntact_ForAnEmptyTrailWithoutAHead()
    {
        ChainVerification result = AuditChain.Verify([], null);

        Assert.True(result.IsIntact);
        Assert.Equal(0, result.EntryCount);
    }

    public static TheoryData<string> EditableFields => ["At", "Actor", "Action", "Details", "Sequence"];

    [Theory]
    [MemberData(nameof(EditableFields))]
    public void Verify_ReportsFirstBrokenEntry_WhenAnEntryWasEdited(string field)
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        AuditEntry third = entries[2];
        entries[2] = field switch
        {
            "At" => third with { At = third.At.AddSeconds(-1) },
            "Actor" => third with { Actor = "staff:mallory" },
            "Action" => third with { Action = "engagement.approved" },
            "Details" => third with { Details = new Dictionary<string, string> { ["step"] = "99" } },
            _ => third with { Sequence = 4 },
        };

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheHashMismatch_WhenAnEntryWasEdited()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        entries[2] = entries[2] with { Action = "engagement.approved" };

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.Contains("does not match its hash", result.Reason, StringComparison.Ordinal);
        Assert.Null(result.HeadHash);
    }

    [Fact]
    public void Verify_ReportsTheGap_WhenAMiddleEntryWasDeleted()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        entries.RemoveAt(2);

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ReportsTheLastEntry_WhenItWasDeletedAndTheHeadCountsMore()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        entries.RemoveAt(4);

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheFirstEntry_WhenEveryEntryWasDeletedButTheHeadRemains()
    {
        (_, AuditHead head) = Trail(5);

        ChainVerification result = AuditChain.Verify([], head);

        Assert.False(result.IsIntact);
        Assert.Equal(1, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheFirstMovedEntry_WhenEntriesWereReordered()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        (entries[1], entries[3]) = (entries[3], entries[1]);

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheFirstMovedEntry_WhenEntriesWereReorderedAndRenumbered()
    {
        // Rows swapped with their numbers kept in place: the numbering is right, the links are not.
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        (entries[1], entries[3]) = (entries[3] with { Sequence = 2 }, entries[1] with { Sequence = 4 });

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheSwappedInEntry_WhenItComesFromAnotherTrail()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        (List<AuditEntry> other, _) = Trail(5, actor: "staff:someone-else");
        entries[2] = other[2];

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheEntryAfterASwappedInEntry_WhenTheForgerRehashedIt()
    {
        // A forged entry 3 with a correct link and hash still changes entry 3's hash, to which entry 4 no longer links.
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        entries[2] = AuditChain.Next(new AuditHead(2, entries[1].Hash), entries[2].At, "staff:mallory", "engagement.approved", new Dictionary<string, string>());

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheLastEntry_WhenItWasReplacedWithARehashedOne()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        entries[4] = AuditChain.Next(new AuditHead(4, entries[3].Hash), entries[4].At, "staff:mallory", "engagement.approved", new Dictionary<string, string>());

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsAnEntryAppendedPastTheHead()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        entries.Add(AuditChain.Next(head, Start, "staff:mallory", "engagement.approved", new Dictionary<string, string>()));

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(6, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsAMissingHead_WhenEntriesRemain()
    {
        (List<AuditEntry> entries, _) = Trail(3);

        ChainVerification result = AuditChain.Verify(entries, null);

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ReportsTheEarliestBreak_WhenSeveralEntriesWereTampered()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(6);
        entries[4] = entries[4] with { Action = "x" };
        entries.RemoveAt(3);
        entries[1] = entries[1] with { Actor = "staff:mallory" };

        ChainVerification result = AuditChain.Verify(entries, head);

        Assert.Equal(2, result.FirstBrokenSequence);
    }

    private static string Hash(
        string? previousHash = null,
        long sequence = 1,
        DateTimeOffset? at = null,
        string actor = "system",
        string action = "engagement.started",
        IReadOnlyDictionary<string, string>? details = null) =>
        AuditChain.ComputeHash(
            previousHash ?? AuditChain.GenesisHash,
            sequence,
            at ?? Start,
            actor,
            action,
            details ?? new Dictionary<string, string> { ["stage"] = "received" });

    [Fact]
    public void Verify_AgainstAnchors_FindsATrailRewrittenWithEveryHashRecomputed_AndBoundsWhereItBegan()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(6);
        AuditAnchor[] anchors = [new(2, entries[1].Hash, Start.AddDays(1)), new(4, entries[3].Hash, Start.AddDays(2))];
        // Someone with write access changes entry 3 and recomputes the chain from there, head included.
        List<AuditEntry> rewritten = [.. entries.Take(2)];
        AuditHead rewrittenHead = new(2, entries[1].Hash);
        for (int i = 3; i <= 6; i++)
        {
            AuditEntry original = entries[i - 1];
            AuditEntry entry = AuditChain.Next(rewrittenHead, original.At, original.Actor, i == 3 ? "selection.decided" : original.Action, original.Details);
            rewritten.Add(entry);
            rewrittenHead = new AuditHead(entry.Sequence, entry.Hash);
        }

        Assert.True(AuditChain.Verify(rewritten, rewrittenHead).IsIntact);
        ChainVerification anchored = AuditChain.Verify(rewritten, rewrittenHead, anchors);

        Assert.False(anchored.IsIntact);
        Assert.Equal(3, anchored.FirstBrokenSequence);
        Assert.Contains("Entry 4 is not the entry anchored", anchored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AgainstAnchors_FindsATrailCutBackBelowWhatWasAnchored()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);
        AuditAnchor[] anchors = [new(5, entries[4].Hash, Start.AddDays(1))];

        ChainVerification anchored = AuditChain.Verify(entries.Take(3).ToList(), new AuditHead(3, entries[2].Hash), anchors);

        Assert.False(anchored.IsIntact);
        Assert.Equal(1, anchored.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_AgainstAnchors_IsIntact_WhenEveryAnchorMatches_AndEntriesFollowTheLastOne()
    {
        (List<AuditEntry> entries, AuditHead head) = Trail(5);

        ChainVerification anchored = AuditChain.Verify(entries, head, [new(3, entries[2].Hash, Start.AddDays(1))]);

        Assert.True(anchored.IsIntact, anchored.Reason);
        Assert.Contains("matches its 1 anchors", anchored.Reason, StringComparison.Ordinal);
    }

    private static (List<AuditEntry> Entries, AuditHead Head) Trail(int length, string actor = "system")
    {
        var entries = new List<AuditEntry>();
        AuditHead? head = null;
        for (int i = 1; i <= length; i++)
        {
            AuditEntry entry = AuditChain.Next(head, Start.AddMinutes(i), actor, "test.step", new Dictionary<string, string> { ["step"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            entries.Add(entry);
            head = new AuditHead(entry.Sequence, entry.Hash);
        }

        return (entries, head!);
    }
}
