using Azure.Data.Tables;
using Supervision.Domain.Audit;

namespace Supervision.Audit;

/// <summary>
/// A step's change of one row of the engagement's partition, committed with the trail entry that records it in one
/// transaction (docs/decisions/0002): a row added unless it exists, or a change applied to the stored row conditional on
/// its ETag. The entry is given the row as it ends up, and answers the entry that records it, or null when the row as
/// stored is not this step's to record (another request's under the same key, say). Every entry carries a key.
/// </summary>
public static class TrailedRows
{
    /// <summary>
    /// Adds <paramref name="row"/> with its entry. When a row with its keys exists already, answers it as <paramref name="read"/>
    /// reads it (Created false) and writes no row: an earlier run committed it with its entry (or, for a row an earlier
    /// version wrote, its entry is appended now if the row is this step's).
    /// </summary>
    public static async Task<(T Row, bool Created)> AddOrGetAsync<T>(
        this AuditLog audit, T row, Func<T, TrailEntry?> entry, Func<CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(read);
        TrailEntry added = entry(row) ?? throw new ArgumentException("The row added has no entry to record it.", nameof(entry));
        TrailCommit outcome = await audit.CommitAsync(row.PartitionKey, [new TableTransactionAction(TableTransactionActionType.Add, row)], [added], cancellationToken);
        if (outcome == TrailCommit.Committed)
            return (row, true);

        T stored = await read(cancellationToken)
            ?? throw new InvalidOperationException($"Row {row.RowKey} of engagement {row.PartitionKey} is on the trail but cannot be read.");
        if (outcome == TrailCommit.Refused)
            await AppendOwedAsync(audit, stored, entry, cancellationToken);
        return (stored, false);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the row <paramref name="read"/> reads and commits it with its entry,
    /// conditional on the row's ETag; reads again and decides again when someone else wrote the row first. When
    /// <paramref name="change"/> answers false (the change was made, by an earlier run), the row stays as it is, and its
    /// entry, if it has one, is appended once by its key. Answers the row as stored, or null when there is none.
    /// </summary>
    public static async Task<T?> UpdateAsync<T>(
        this AuditLog audit, Func<CancellationToken, Task<T?>> read, Func<T, bool> change, Func<T, TrailEntry?> entry, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(entry);
        while (true)
        {
            if (await read(cancellationToken) is not { } row)
                return null;
            if (!change(row))
            {
                await AppendOwedAsync(audit, row, entry, cancellationToken);
                return row;
            }

            TrailEntry changed = entry(row) ?? throw new InvalidOperationException($"The change of row {row.RowKey} has no entry to record it.");
            switch (await audit.CommitAsync(row.PartitionKey, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag)], [changed], cancellationToken))
            {
                case TrailCommit.Committed:
                    return row;
                case TrailCommit.AlreadyCommitted:
                    // Another run of the step committed it since the row was read.
                    return await read(cancellationToken);
                default:
                    continue; // The row changed since it was read: read it again and decide again.
            }
        }
    }

    /// <summary>Appends <paramref name="entry"/>, once by its key however often its step runs.</summary>
    public static Task<AuditEntry> AppendAsync(this AuditLog audit, string engagementId, TrailEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(entry);
        return audit.AppendAsync(engagementId, entry.Actor, entry.Action, entry.Details, cancellationToken, entry.Key);
    }

    /// <summary>
    /// The entry of a row this step finds already written, appended once by its key: a no-op when the row was committed
    /// with it, and the entry itself for a row written by an earlier version, when the row and its entry were two writes.
    /// </summary>
    private static async Task AppendOwedAsync<T>(AuditLog audit, T row, Func<T, TrailEntry?> entry, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        if (entry(row) is { } owed)
            await audit.AppendAsync(row.PartitionKey, owed, cancellationToken);
    }
}
