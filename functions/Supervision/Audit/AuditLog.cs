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
/// The audit trail in <see cref="TableNames.Audit"/>: one partition per engagement holding its entries
/// (RowKey = sequence, 19 digits), a head row (<c>head</c>: sequence and hash of the last entry) and, for appends that
/// carry an entry key, a marker row (<c>key|…</c>). Every append writes the head and the entry in one transaction,
/// conditional on the head's ETag, so two writers can never append the same sequence: the chain cannot fork.
/// </summary>
public sealed class AuditLog(TableServiceClient tables, TimeProvider time, IEnumerable<ITrailFollower>? followers = null, AuditHeads? heads = null)
{
    public const string HeadRowKey = "head";
    public const string MarkerRowPrefix = "key|";
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

    /// <summary>Appends that lose the race to the head are tried again (see <see cref="ConflictRetry"/>).</summary>
    private static readonly ResiliencePipeline AppendRetry = ConflictRetry(MaxAppendAttempts, TimeSpan.FromMilliseconds(10));

    private readonly TableClient table = tables.GetTableClient(TableNames.Audit);

    public static string EntryRowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

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
        CheckEngagementId(engagementId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(details);
        if (entryKey is not null && !IsValidEntryKey(entryKey))
            throw new ArgumentException($"An entry key is 1 to {MaxEntryKeyLength} printable ASCII characters other than / \\ # ?.", nameof(entryKey));

        try
        {
            return await AppendRetry.ExecuteAsync(
                async token => await TryAppendAsync(engagementId, actor, action, details, entryKey, token),
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
    /// One attempt: chains the entry to the head this process wrote last, if it knows one, else to the head it reads, and
    /// commits head, entry and marker in one transaction. A lost race throws the conflict for <see cref="AppendRetry"/> to
    /// try again, unless the entry's key shows it was appended.
    /// </summary>
    private async Task<AuditEntry> TryAppendAsync(
        string engagementId, string actor, string action, IReadOnlyDictionary<string, string> details, string? entryKey, CancellationToken cancellationToken)
    {
        if (heads is not null && heads.TryGet(engagementId, out (AuditHead Head, ETag ETag) known))
        {
            try
            {
                return await CommitAsync(engagementId, known.Head, known.ETag, actor, action, details, entryKey, cancellationToken);
            }
            catch (RequestFailedException)
            {
                // Whatever refused it (the head moved, or is gone), the next try starts from the head as stored.
                heads.Forget(engagementId);
            }
        }

        (AuditHead? head, ETag headETag) = await ReadHeadAsync(engagementId, cancellationToken);
        return await CommitAsync(engagementId, head, headETag, actor, action, details, entryKey, cancellationToken);
    }

    private async Task<AuditEntry> CommitAsync(
        string engagementId,
        AuditHead? head,
        ETag headETag,
        string actor,
        string action,
        IReadOnlyDictionary<string, string> details,
        string? entryKey,
        CancellationToken cancellationToken)
    {
        // Table storage keeps instants to the millisecond at best; the hash must cover exactly what is stored.
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset at = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        AuditEntry entry = AuditChain.Next(head, at, actor, action, details);
        string detailsJson = JsonSerializer.Serialize(entry.Details, ApiJson.Options);
        if (detailsJson.Length > MaxDetailsLength)
            throw new ArgumentException($"The details take {detailsJson.Length} characters as JSON; at most {MaxDetailsLength} fit.", nameof(details));

        var headRow = new TableEntity(engagementId, HeadRowKey)
        {
            [SequenceProperty] = entry.Sequence,
            [HashProperty] = entry.Hash,
        };
        List<TableTransactionAction> transaction =
        [
            head is null
                ? new TableTransactionAction(TableTransactionActionType.Add, headRow)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, headRow, headETag),
            new TableTransactionAction(TableTransactionActionType.Add, ToRow(engagementId, entry, detailsJson)),
        ];
        if (entryKey is not null)
        {
            transaction.Add(new TableTransactionAction(
                TableTransactionActionType.Add,
                new TableEntity(engagementId, MarkerRowPrefix + entryKey) { [SequenceProperty] = entry.Sequence }));
        }

        try
        {
            Response<IReadOnlyList<Response>> committed = await table.SubmitTransactionAsync(transaction, cancellationToken);
            if (committed.Value is [{ Headers.ETag: { } written }, ..])
                heads?.Set(engagementId, new AuditHead(entry.Sequence, entry.Hash), written);
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            // Another writer moved the head first (412, or 409 on the first entry), or this key was appended before.
            if (entryKey is not null && await FindByKeyAsync(engagementId, entryKey, cancellationToken) is { } existing)
                return existing;
            throw;
        }

        foreach (ITrailFollower follower in followers ?? [])
            follower.Appended(engagementId, entry.Sequence);
        return entry;
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
        // Entry row keys are digits; ':' follows '9', so this range holds no head or marker row.
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {engagementId} and RowKey ge {"0"} and RowKey lt {":"}");
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
        return (await ReadHeadAsync(tables.GetTableClient(TableNames.Audit), engagementId, cancellationToken)).Head;
    }

    private Task<(AuditHead? Head, ETag ETag)> ReadHeadAsync(string engagementId, CancellationToken cancellationToken) =>
        ReadHeadAsync(table, engagementId, cancellationToken);

    private static async Task<(AuditHead? Head, ETag ETag)> ReadHeadAsync(TableClient table, string engagementId, CancellationToken cancellationToken)
    {
        if (await table.GetOrNullAsync<TableEntity>(engagementId, HeadRowKey, cancellationToken) is not { } row)
            return (null, default);
        return (new AuditHead(Int64Of(row, SequenceProperty), StringOf(row, HashProperty)), row.ETag);
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
        long.TryParse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) ? sequence : 0,
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
