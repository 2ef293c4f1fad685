using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Http;
using Supervision.Storage;

namespace Supervision.Kernel;

/// <summary>An event a workflow is owed because of a change, and the trail entry that records the change.</summary>
public sealed record OwedEvent(string InstanceId, string EventName, object Payload, TrailEntry? Trail = null)
{
    /// <summary>Whether a workflow is owed an event at all (a change may owe only its trail entry).</summary>
    public bool RaisesEvent => EventName.Length > 0;
}

/// <summary>A change that owes no workflow an event, only its trail entry: committed the same way, with nothing to deliver.</summary>
public static class OwedTrail
{
    public static OwedEvent Only(TrailEntry trail) => new(string.Empty, string.Empty, trail, trail);
}

/// <summary>A committed event not yet delivered: a row in the engagement's partition of <see cref="TableNames.Engagements"/>.</summary>
public sealed class PendingEventRecord : ITableEntity
{
    public const string KeyPrefix = "event|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string InstanceId { get; set; } = string.Empty;

    public string EventName { get; set; } = string.Empty;

    /// <summary>The event's payload as JSON, and its type: the raise hands the typed payload to the host's own converter.</summary>
    public string Payload { get; set; } = string.Empty;

    public string PayloadType { get; set; } = string.Empty;

    /// <summary>
    /// A <see cref="TrailEntry"/> as JSON, on rows written before the trail moved into the engagement's partition: it was
    /// appended on delivery then. A change now commits its entry in its own transaction, and its row holds none.
    /// </summary>
    public string? Trail { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public static string Key(string key) => KeyPrefix + key;
}

/// <summary>What one relay run did.</summary>
public sealed record RelayReport(int Delivered, int Abandoned, int Failed);

/// <summary>
/// The transactional outbox of events to workflows (docs/decisions/0002). A change commits, in one transaction of the
/// engagement's partition, its rows, the trail entry that records it and, when it owes a workflow an event, the event as
/// a row (<see cref="PrepareAsync"/>), so "done", "on the trail" and "the workflow will hear of it" are one outcome;
/// <see cref="DeliverAsync"/> then raises the event and clears the row. If delivery fails, the row stays, and the relay
/// (<see cref="RelayAsync"/>, run by the sweep and by a repeated request) delivers it later. Delivery is at least once:
/// workflows pass over an event they have already had.
/// </summary>
public sealed class EventOutbox(TableServiceClient tables, AuditLog audit, TimeProvider time, ILogger<EventOutbox> logger)
{
    public const string HintPartition = "pending";

    /// <summary>A hint without its event after this long belongs to a change that never committed.</summary>
    public static readonly TimeSpan CommitWindow = TimeSpan.FromMinutes(10);

    private readonly TableClient hints = tables.GetTableClient(TableNames.Outbox);

    private readonly TableClient engagements = tables.GetTableClient(TableNames.Engagements);

    /// <summary>
    /// First half of a change that owes the event of <paramref name="owed"/>: leaves a hint where the relay looks, and
    /// answers the row to add to the change's own transaction, under <paramref name="key"/> (unique per change).
    /// </summary>
    public async Task<TableTransactionAction> PrepareAsync(string engagementId, string key, OwedEvent owed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owed);
        DateTimeOffset now = time.GetUtcNow();
        await hints.UpsertEntityAsync(
            new TableEntity(HintPartition, HintKey(engagementId, key)) { ["CreatedAt"] = now },
            TableUpdateMode.Replace,
            cancellationToken);
        var row = new PendingEventRecord
        {
            PartitionKey = engagementId,
            RowKey = PendingEventRecord.Key(key),
            InstanceId = owed.InstanceId,
            EventName = owed.EventName,
            Payload = JsonSerializer.Serialize(owed.Payload, owed.Payload.GetType(), ApiJson.Options),
            PayloadType = owed.Payload.GetType().FullName!,
            CreatedAt = now,
        };
        return new TableTransactionAction(TableTransactionActionType.Add, row);
    }

    /// <summary>
    /// Commits a change of one row of the engagement's partition (replacing it, conditional on the ETag it was read with;
    /// or adding it, when <paramref name="adding"/>) together with its trail entry and the event it owes, under
    /// <paramref name="key"/>, in one transaction. False when the row changed since it was read, or already exists: nothing
    /// is written now. Deliver the event afterwards with <see cref="TryDeliverAsync"/>.
    /// </summary>
    public async Task<bool> CommitAsync(ITableEntity changed, string key, OwedEvent owed, CancellationToken cancellationToken, bool adding = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(owed);
        List<TableTransactionAction> change =
        [
            adding
                ? new TableTransactionAction(TableTransactionActionType.Add, changed)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, changed, changed.ETag),
        ];
        if (owed.RaisesEvent)
            change.Add(await PrepareAsync(changed.PartitionKey, key, owed, cancellationToken));
        if (owed.Trail is { } trail)
            return await audit.CommitAsync(changed.PartitionKey, change, [trail], cancellationToken) == TrailCommit.Committed;
        try
        {
            await engagements.SubmitTransactionAsync(change, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
        {
            return false;
        }
    }

    /// <summary>A change that owes no workflow an event: its row and its trail entry in one transaction; false as above.</summary>
    public Task<bool> CommitAsync(ITableEntity changed, TrailEntry trail, CancellationToken cancellationToken, bool adding = false)
    {
        ArgumentNullException.ThrowIfNull(trail);
        return CommitAsync(changed, trail.Key, OwedTrail.Only(trail), cancellationToken, adding);
    }

    /// <summary>
    /// Delivers the event committed under <paramref name="key"/>, if it is still owed: the raise, then the row and its
    /// hint are cleared. Answers whether there was one. Throws when the raise fails, leaving it owed.
    /// </summary>
    public async Task<bool> DeliverAsync(DurableTaskClient durable, string engagementId, string key, CancellationToken cancellationToken)
    {
        PendingEventRecord? pending = await engagements.GetOrNullAsync<PendingEventRecord>(engagementId, PendingEventRecord.Key(key), cancellationToken);
        if (pending is not null)
        {
            // Only the library's own event records: a type name read from storage never picks an arbitrary type.
            Type type = typeof(EventOutbox).Assembly.GetType(pending.PayloadType.Split(',')[0], throwOnError: true)!;
            object payload = JsonSerializer.Deserialize(pending.Payload, type, ApiJson.Options)!;
            TrailEntry? trail = pending.Trail is null ? null : JsonSerializer.Deserialize<TrailEntry>(pending.Trail, ApiJson.Options);
            await TellAsync(durable, engagementId, new OwedEvent(pending.InstanceId, pending.EventName, payload, trail), cancellationToken);
            await engagements.DeleteEntityAsync(engagementId, pending.RowKey, ETag.All, cancellationToken);
        }

        await hints.DeleteEntityAsync(HintPartition, HintKey(engagementId, key), ETag.All, cancellationToken);
        return pending is not null;
    }

    /// <summary>
    /// Tells a workflow what it is owed: the trail entry (once, by its key), then the event. Used for a row written
    /// before the trail moved (its entry was owed, not committed), and for a change recorded before its event was (by code
    /// older than the outbox), which no row holds.
    /// </summary>
    public async Task TellAsync(DurableTaskClient durable, string engagementId, OwedEvent owed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(owed);
        if (owed.Trail is { } trail)
            await audit.AppendAsync(engagementId, trail.Actor, trail.Action, trail.Details, cancellationToken, trail.EntryKey);
        if (!owed.RaisesEvent)
            return;
        await durable.RaiseEventAsync(owed.InstanceId, owed.EventName, owed.Payload, cancellationToken);
        logger.LogInformation("Event {EventName} delivered to {InstanceId}", owed.EventName, owed.InstanceId);
    }

    /// <summary>
    /// Delivers, and logs instead of throwing when it cannot: the event stays owed for the relay. Answers whether an
    /// event was owed under the key (delivered now or left for the relay).
    /// </summary>
    public async Task<bool> TryDeliverAsync(DurableTaskClient durable, string engagementId, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await DeliverAsync(durable, engagementId, key, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped it (the engine, storage, an unreadable row), the change is committed: the caller's answer
            // stands, and the relay tries again and logs an error each time it cannot.
            logger.LogWarning(e, "Event {Key} of engagement {EngagementId} is committed but not yet delivered: the relay delivers it", key, engagementId);
            return true;
        }
    }

    /// <summary>
    /// Delivers every event still owed, found through the hints (one partition range, no scan). A hint whose event is
    /// gone is cleared: it was delivered, or its change never committed (once older than <see cref="CommitWindow"/>).
    /// </summary>
    public async Task<RelayReport> RelayAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        int delivered = 0, abandoned = 0, failed = 0;
        DateTimeOffset settled = time.GetUtcNow() - CommitWindow;
        await foreach (TableEntity hint in hints.QueryAsync<TableEntity>(row => row.PartitionKey == HintPartition, cancellationToken: cancellationToken))
        {
            if (!TryParseHint(hint.RowKey, out string engagementId, out string key))
                continue;
            try
            {
                if (await engagements.GetOrNullAsync<PendingEventRecord>(engagementId, PendingEventRecord.Key(key), cancellationToken) is not null)
                {
                    await DeliverAsync(durable, engagementId, key, cancellationToken);
                    delivered++;
                }
                else if (hint.GetDateTimeOffset("CreatedAt") is not { } created || created < settled)
                {
                    await hints.DeleteEntityAsync(HintPartition, hint.RowKey, ETag.All, cancellationToken);
                    abandoned++;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Event {Key} of engagement {EngagementId} could not be delivered; the next relay tries again", key, engagementId);
                failed++;
            }
        }

        if (delivered + abandoned + failed > 0)
            logger.LogInformation("Event relay: {Delivered} delivered, {Abandoned} hints of uncommitted changes cleared, {Failed} failed", delivered, abandoned, failed);
        return new RelayReport(delivered, abandoned, failed);
    }

    /// <summary>
    /// A hint's key: the table that holds the event, the engagement and the change's key. Every event is in the
    /// engagement's partition of <see cref="TableNames.Engagements"/> now; a hint naming another table (one written
    /// before requests moved there, whose rows <see cref="Storage.LegacyTables"/> copies) is read from there too.
    /// </summary>
    private static string HintKey(string engagementId, string key) => $"{TableNames.Engagements}|{engagementId}|{key}";

    private static bool TryParseHint(string rowKey, out string engagementId, out string key)
    {
        string[] parts = rowKey.Split('|', 3);
        (engagementId, key) = parts.Length == 3 ? (parts[1], parts[2]) : (string.Empty, string.Empty);
        return parts.Length == 3;
    }
}
