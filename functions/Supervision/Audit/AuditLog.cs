using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Polly;
using Polly.Retry;
using Supervision.Domain.Audit;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Storage;

namespace Supervision.Audit;

/// <summary>
/// The audit trail, kept in the engagement's own partition of <see cref="TableNames.Engagements"/> (docs/decisions/0002):
/// its entries (RowKey <c>trail|</c> and the sequence, 19 digits), its head (<see cref="HeadRowKey"/>: sequence and hash
/// of the last entry, next to the engagement's row so both are read together) and, for entries that carry a key, a marker
/// row (<c>trail|key|…</c>). Entries are committed with the head, conditional on the head's ETag, so two writers can
/// never append the same sequence: the chain cannot fork. A step commits its change and the entries that record it in one
/// transaction (<see cref="CommitAsync"/>): there is no change without its entry, and no entry without its change.
/// </summary>
/// <remarks>
/// Kept as one class past 300 lines on purpose: it is the only writer of the trail's rows, and the chain's invariant
/// (the head and the entries after it change together, conditional on the head's ETag, and a refused commit is told
/// apart from a lost race by the head as stored) needs one owner. Its records are in TrailEntry.cs.
/// </remarks>
public sealed class AuditLog(TableServiceClient tables, TimeProvider time, IEnumerable<ITrailFollower>? followers = null, AuditHeads? heads = null)
{
    public const string HeadRowKey = EngagementRecord.MainRowKey + "|trail";
    public const string EntryRowPrefix = "trail|";
    public const string MarkerRowPrefix = EntryRowPrefix + "key|";
    public const int MaxEntryKeyLength = 200;

    /// <summary>A table string property holds at most 32,768 characters; the details are stored as one JSON property.</summary>
    public const int MaxDetailsLength = 32_000;

    /// <summary>Appends that lose the race re-read the head and try again, this often at most, backing off with jitter.</summary>
    public const int MaxAppendAttempts = 30;

    private const int VerifyReads = 3;
    private const string SequenceProperty = "Sequence";
    private const string HashProperty = "Hash";
    private const string AtProperty = "At";
    private const string ActorProperty = "Actor";
    private const string ActionProperty = "Action";
    private const string DetailsProperty = "Details";
    private const string PreviousHashProperty = "PreviousHash";
    private const string UnreadableDetailsKey = "$unreadable";

    /// <summary>Commits that lose the race to the head are tried again (see <see cref="ConflictRetry"/>).</summary>
    private static readonly ResiliencePipeline AppendRetry = ConflictRetry(MaxAppendAttempts, TimeSpan.FromMilliseconds(10));

    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    public static string EntryRowKey(long sequence) => EntryRowPrefix + sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>How many operations <paramref name="entries"/> add to a transaction: the head, each entry, each key's marker.</summary>
    public static int OperationsFor(IReadOnlyCollection<TrailEntry> entries) =>
        entries.Count == 0 ? 0 : 1 + entries.Count + entries.Count(entry => entry.EntryKey is not null);

    /// <summary>
    /// Appends an entry to the engagement's trail and returns it. With an <paramref name="entryKey"/> the append happens
    /// once: a retried call with the same key returns the entry appended the first time and appends nothing.
    /// </summary>
    public async Task<AuditEntry> AppendAsync(
        string engagementId,
        string actor,
        string action,
        IReadOnlyDictionary<string, string> details,
        CancellationToken cancellationToken,
        string? entryKey = null)
    {
        var entry = new TrailEntry(actor, action, details, entryKey);
        (TrailCommit outcome, IReadOnlyList<AuditEntry> appended) = await CommitCoreAsync(engagementId, [], [entry], cancellationToken);
        return outcome == TrailCommit.Committed
            ? appended[0]
            : await FindByKeyAsync(engagementId, entryKey!, cancellationToken)
                ?? throw new InvalidOperationException($"Audit entry '{entryKey}' of engagement {engagementId} is marked appended but cannot be found (verify the trail).");
    }

    /// <summary>
    /// Commits <paramref name="change"/> (operations on rows of the engagement's partition, with whatever conditions they
    /// carry) and the <paramref name="entries"/> that record it in one transaction. A change whose condition fails writes
    /// nothing and answers <see cref="TrailCommit.Refused"/>, for the caller to read again and decide again; a step that
    /// ran before answers <see cref="TrailCommit.AlreadyCommitted"/> when one of its entries' keys is on the trail.
    /// </summary>
    /// <param name="newTrail">The engagement is being created by this change: its trail is empty, and its head is not read.</param>
    public async Task<TrailCommit> CommitAsync(
        string engagementId, IReadOnlyList<TableTransactionAction> change, IReadOnlyList<TrailEntry> entries, CancellationToken cancellationToken, bool newTrail = false)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (entries is null || entries.Count == 0)
            throw new ArgumentException("A change is committed with at least one trail entry.", nameof(entries));
        return (await CommitCoreAsync(engagementId, change, entries, cancellationToken, newTrail)).Outcome;
    }

    private async Task<(TrailCommit Outcome, IReadOnlyList<AuditEntry> Appended)> CommitCoreAsync(
        string engagementId, IReadOnlyList<TableTransactionAction> change, IReadOnlyList<TrailEntry> entries, CancellationToken cancellationToken, bool newTrail = false)
    {
        CheckEngagementId(engagementId);
        foreach (TrailEntry entry in entries)
            Check(entry);
        if (change.Count + OperationsFor(entries) > TableTransactions.MaxOperations)
            throw new ArgumentException($"The change and its trail entries take more than {TableTransactions.MaxOperations} operations.", nameof(change));

        // Only the first attempt may take the trail for empty: a lost race reads the head that won it.
        bool assumeEmpty = newTrail;
        try
        {
            return await AppendRetry.ExecuteAsync(
                async token =>
                {
                    bool empty = assumeEmpty;
                    assumeEmpty = false;
                    return await TryCommitAsync(engagementId, change, entries, empty, token);
                },
                cancellationToken);
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            throw new InvalidOperationException(
                $"Could not append to the audit trail of engagement {engagementId} in {MaxAppendAttempts} attempts: "
                + "other writers kept winning, or the head no longer matches the entries (verify the trail).",
                e);
        }
    }

    /// <summary>
    /// One attempt: chains the entries to the head this process wrote or read last, if it knows one, else to the head it
    /// reads, and commits change, head, entries and markers together. When the transaction is refused, the stored head
    /// tells why: a head that moved throws the conflict for <see cref="AppendRetry"/> to try again; an entry's marker
    /// means the step committed before; otherwise the change's own condition failed.
    /// </summary>
    private async Task<(TrailCommit Outcome, IReadOnlyList<AuditEntry> Appended)> TryCommitAsync(
        string engagementId, IReadOnlyList<TableTransactionAction> change, IReadOnlyList<TrailEntry> entries, bool empty, CancellationToken cancellationToken)
    {
        (AuditHead? head, ETag headETag) = empty
            ? (null, default)
            : heads is not null && heads.TryGet(engagementId, out (AuditHead Head, ETag ETag) known)
                ? known
                : await ReadHeadAsync(engagementId, cancellationToken);
        (List<TableTransactionAction> trail, List<AuditEntry> appended) = Chain(engagementId, head, headETag, entries);
        try
        {
            Response<IReadOnlyList<Response>> committed = await table.SubmitTransactionAsync([.. change, .. trail], cancellationToken);
            // The change's rows carry their new ETags, for a caller that writes one of them again (a mail settled after its send).
            for (int i = 0; i < change.Count && i < committed.Value.Count; i++)
            {
                if (committed.Value[i].Headers.ETag is { } etag && change[i].ActionType != TableTransactionActionType.Delete)
                    change[i].Entity.ETag = etag;
            }

            AuditEntry last = appended[^1];
            if (committed.Value.Count > change.Count && committed.Value[change.Count].Headers.ETag is { } written)
                heads?.Set(engagementId, new AuditHead(last.Sequence, last.Hash), written);
            foreach (ITrailFollower follower in followers ?? [])
                follower.Appended(engagementId, last.Sequence);
            return (TrailCommit.Committed, appended);
        }
        catch (RequestFailedException e) when (IsConflict(e) || e.Status == 404)
        {
            heads?.Forget(engagementId);
            (AuditHead? stored, ETag storedETag) = await ReadHeadAsync(engagementId, cancellationToken);
            // A head that moved, or is gone (404 on the head's update), is a lost race: tried again from the stored head.
            if (stored is null != head is null || (stored is not null && storedETag != headETag))
                throw new RequestFailedException(412, $"The trail's head of engagement {engagementId} moved since it was read.", e);
            foreach (TrailEntry entry in entries)
            {
                if (entry.EntryKey is { } key && await table.GetOrNullAsync<TableEntity>(engagementId, MarkerRowPrefix + key, cancellationToken) is not null)
                    return (TrailCommit.AlreadyCommitted, []);
            }

            // The head stood and no entry was there before: the change's own condition failed. An append with no change
            // cannot be refused so; its entry row is in the way of a head that no longer matches the entries.
            if (change.Count == 0)
                throw;
            return (TrailCommit.Refused, []);
        }
    }

    /// <summary>The head, entry and marker rows that append <paramref name="entries"/> after <paramref name="head"/>.</summary>
    private (List<TableTransactionAction> Actions, List<AuditEntry> Appended) Chain(string engagementId, AuditHead? head, ETag headETag, IReadOnlyList<TrailEntry> entries)
    {
        // Table storage keeps instants to the millisecond at best; the hash must cover exactly what is stored.
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset at = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var appended = new List<AuditEntry>(entries.Count);
        var rows = new List<TableTransactionAction>(OperationsFor(entries));
        AuditHead? last = head;
        foreach (TrailEntry entry in entries)
        {
            AuditEntry next = AuditChain.Next(last, at, entry.Actor, entry.Action, entry.Details);
            string detailsJson = JsonSerializer.Serialize(next.Details, ApiJson.Options);
            if (detailsJson.Length > MaxDetailsLength)
                throw new ArgumentException($"The details take {detailsJson.Length} characters as JSON; at most {MaxDetailsLength} fit.", nameof(entries));
            rows.Add(new TableTransactionAction(TableTransactionActionType.Add, ToRow(engagementId, next, detailsJson)));
            if (entry.EntryKey is { } key)
                rows.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(engagementId, MarkerRowPrefix + key) { [SequenceProperty] = next.Sequence }));
            appended.Add(next);
            last = new AuditHead(next.Sequence, next.Hash);
        }

        var headRow = new TableEntity(engagementId, HeadRowKey) { [SequenceProperty] = last!.Sequence, [HashProperty] = last.Hash };
        rows.Insert(0, head is null
            ? new TableTransactionAction(TableTransactionActionType.Add, headRow)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, headRow, headETag));
        return (rows, appended);
    }

    private static void Check(TrailEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor, nameof(entry));
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Details, nameof(entry));
        if (entry.EntryKey is { } key && !IsValidEntryKey(key))
            throw new ArgumentException($"An entry key is 1 to {MaxEntryKeyLength} printable ASCII characters other than / \\ # ?.", nameof(entry));
    }

    /// <summary>The head moved under the append (412), or the first entry was added by another writer (409).</summary>
    internal static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;

    /// <summary>
    /// Retries a lost race for the head, and nothing else, <paramref name="maxAttempts"/> times in all, with jittered
    /// exponential back-off from <paramref name="baseDelay"/> up to half a second; other failures pass straight through.
    /// </summary>
    internal static ResiliencePipeline ConflictRetry(int maxAttempts, TimeSpan baseDelay) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>(IsConflict),
                MaxRetryAttempts = maxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = TimeSpan.FromMilliseconds(500),
            })
            .Build();

    /// <summary>The engagement's entries in sequence order: one range query over the partition's entry rows.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string engagementId, CancellationToken cancellationToken)
    {
        CheckEngagementId(engagementId);
        // Entry row keys end in digits; ':' follows '9', so this range holds no marker row.
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {engagementId} and RowKey ge {EntryRowPrefix + "0"} and RowKey lt {EntryRowPrefix + ":"}");
        var entries = new List<AuditEntry>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            entries.Add(ToEntry(row));
        return entries;
    }

    /// <summary>
    /// Reads the entries and the head and checks the chain (<see cref="AuditChain.Verify"/>). An append landing between
    /// the two reads looks like a removed entry for a moment, so a broken result is read again before it is reported.
    /// </summary>
    /// <param name="anchors">Heads kept where the table's writers cannot change them (<see cref="AuditAnchors"/>).</param>
    public async Task<ChainVerification> VerifyAsync(string engagementId, CancellationToken cancellationToken, IReadOnlyList<AuditAnchor>? anchors = null) =>
        (await ListVerifiedAsync(engagementId, cancellationToken, anchors)).Verification;

    /// <summary>The trail and its verification from the same read, for a reader that shows both.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, ChainVerification Verification)> ListVerifiedAsync(
        string engagementId, CancellationToken cancellationToken, IReadOnlyList<AuditAnchor>? anchors = null)
    {
        for (int read = 1; ; read++)
        {
            IReadOnlyList<AuditEntry> entries = await ListAsync(engagementId, cancellationToken);
            (AuditHead? head, _) = await ReadHeadAsync(engagementId, cancellationToken);
            ChainVerification result = AuditChain.Verify(entries, head, anchors ?? []);
            if (result.IsIntact || read == VerifyReads)
                return (entries, result);
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>The trail's head now: how many entries, and the last one's hash; null for an empty trail.</summary>
    public async Task<AuditHead?> HeadAsync(string engagementId, CancellationToken cancellationToken) =>
        (await ReadHeadAsync(engagementId, cancellationToken)).Head;

    public static bool IsValidEntryKey(string key) =>
        key.Length is > 0 and <= MaxEntryKeyLength && key.All(c => c is >= ' ' and <= '~' and not ('/' or '\\' or '#' or '?'));

    /// <summary>
    /// The trail's head, read without an <see cref="AuditLog"/>: for a trail follower, which the log itself depends on.
    /// </summary>
    public static async Task<AuditHead?> HeadAsync(TableServiceClient tables, string engagementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return (await ReadHeadAsync(tables.GetTableClient(TableNames.Engagements), engagementId, cancellationToken)).Head;
    }

    private Task<(AuditHead? Head, ETag ETag)> ReadHeadAsync(string engagementId, CancellationToken cancellationToken) =>
        ReadHeadAsync(table, engagementId, cancellationToken);

    private static async Task<(AuditHead? Head, ETag ETag)> ReadHeadAsync(TableClient table, string engagementId, CancellationToken cancellationToken)
    {
        if (await table.GetOrNullAsync<TableEntity>(engagementId, HeadRowKey, cancellationToken) is not { } row)
            return (null, default);
        return (HeadOf(row), row.ETag);
    }

    /// <summary>The head a head row holds (one read with the engagement's row, say).</summary>
    public static AuditHead HeadOf(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new AuditHead(Int64Of(row, SequenceProperty), StringOf(row, HashProperty));
    }

    private async Task<AuditEntry?> FindByKeyAsync(string engagementId, string entryKey, CancellationToken cancellationToken)
    {
        if (await table.GetOrNullAsync<TableEntity>(engagementId, MarkerRowPrefix + entryKey, cancellationToken) is not { } marker)
            return null;
        long sequence = Int64Of(marker, SequenceProperty);
        return await table.GetOrNullAsync<TableEntity>(engagementId, EntryRowKey(sequence), cancellationToken) is { } row
            ? ToEntry(row)
            : throw new InvalidOperationException($"Audit entry {sequence} of engagement {engagementId}, appended with key '{entryKey}', is missing (verify the trail).");
    }

    private static TableEntity ToRow(string engagementId, AuditEntry entry, string detailsJson) => new(engagementId, EntryRowKey(entry.Sequence))
    {
        [AtProperty] = entry.At,
        [ActorProperty] = entry.Actor,
        [ActionProperty] = entry.Action,
        [DetailsProperty] = detailsJson,
        [PreviousHashProperty] = entry.PreviousHash,
        [HashProperty] = entry.Hash,
    };

    /// <summary>
    /// Reads a row as it is, whatever was done to it: the sequence is the row key (the row's place in the trail), and a
    /// missing or mistyped property reads as empty, so a tampered row fails verification instead of failing the read.
    /// </summary>
    private static AuditEntry ToEntry(TableEntity row) => new(
        long.TryParse(row.RowKey.AsSpan(EntryRowPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) ? sequence : 0,
        row.TryGetValue(AtProperty, out object? at) ? at switch
        {
            DateTimeOffset instant => instant,
            DateTime instant => new DateTimeOffset(DateTime.SpecifyKind(instant, DateTimeKind.Utc)),
            _ => default,
        } : default,
        StringOf(row, ActorProperty),
        StringOf(row, ActionProperty),
        DetailsOf(StringOf(row, DetailsProperty)),
        StringOf(row, PreviousHashProperty),
        StringOf(row, HashProperty));

    private static IReadOnlyDictionary<string, string> DetailsOf(string json)
    {
        try
        {
            Dictionary<string, string?>? parsed = JsonSerializer.Deserialize<Dictionary<string, string?>>(json, ApiJson.Options);
            if (parsed is not null && parsed.Values.All(value => value is not null))
                return new SortedDictionary<string, string>(parsed!, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
        }

        // Not what an append writes: show it as stored; its hash cannot match.
        return new Dictionary<string, string> { [UnreadableDetailsKey] = json };
    }

    private static string StringOf(TableEntity row, string property) =>
        row.TryGetValue(property, out object? value) && value is string text ? text : string.Empty;

    private static long Int64Of(TableEntity row, string property) =>
        row.TryGetValue(property, out object? value) ? value switch { long number => number, int number => number, _ => 0 } : 0;

    private static void CheckEngagementId(string engagementId)
    {
        if (!EngagementIds.IsWellFormed(engagementId))
            throw new ArgumentException("Not an engagement id.", nameof(engagementId));
    }
}
