using Azure.Data.Tables;

namespace Supervision.Audit;

/// <summary>An entry for the trail: with an <see cref="EntryKey"/>, it is appended once however often its step runs.</summary>
public sealed record TrailEntry(string Actor, string Action, IReadOnlyDictionary<string, string> Details, string? EntryKey = null)
{
    /// <summary>The key, for a change that is known by it (its event in the outbox is).</summary>
    public string Key => EntryKey ?? throw new InvalidOperationException($"The '{Action}' entry has no key.");
}

/// <summary>Rows a step writes and the trail entries that record them, committed with another change of the same step.</summary>
public sealed record Writes(IReadOnlyList<TableTransactionAction> Rows, IReadOnlyList<TrailEntry> Entries)
{
    public static Writes None { get; } = new([], []);
}

/// <summary>What became of a change committed with its trail entries (<see cref="AuditLog.CommitAsync"/>).</summary>
public enum TrailCommit
{
    /// <summary>The change and its entries are written, in one transaction.</summary>
    Committed,

    /// <summary>The change's own condition failed (a row changed since it was read, or exists already): nothing is written.</summary>
    Refused,

    /// <summary>An entry's key is on the trail already: an earlier run of the step committed it, change and all.</summary>
    AlreadyCommitted,
}
