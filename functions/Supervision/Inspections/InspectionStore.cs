using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Inspections;
using Supervision.Storage;

namespace Supervision.Inspections;

/// <summary>An inspection of the contractor, in the engagement's partition (<c>inspection|{inspectionId}</c>).</summary>
public sealed class InspectionRecord : ITableEntity
{
    public const string KeyPrefix = "inspection|";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = string.Empty;

    /// <summary>The planned (scheduled) or actual (unannounced) date, Japan calendar, yyyy-MM-dd.</summary>
    public string On { get; set; } = string.Empty;

    public string Scope { get; set; } = string.Empty;

    public string Inspector { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    public int FindingCount { get; set; }

    public string InspectionId => RowKey[KeyPrefix.Length..];

    public static string Key(string inspectionId) => KeyPrefix + inspectionId;

    public Inspection ToInspection() =>
        new(Enum.Parse<InspectionKind>(Kind), InspectionStore.ParseDate(On), Scope, Inspector);
}

/// <summary>One corrective action raised from a finding (<c>inspection|{inspectionId}|action|{actionId}</c>).</summary>
public sealed class CorrectiveActionRecord : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string InspectionId { get; set; } = string.Empty;

    public string ActionId { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public string Severity { get; set; } = string.Empty;

    public string Owner { get; set; } = string.Empty;

    public string DueOn { get; set; } = string.Empty;

    public string RaisedOn { get; set; } = string.Empty;

    public string RaisedBy { get; set; } = string.Empty;

    public int RemindersSent { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>The open request through which the contractor reports the correction (a refused report opens another).</summary>
    public string? ReportRequestId { get; set; }

    /// <summary>The request whose report was taken; set with the other <c>Reported…</c> fields.</summary>
    public string? ReportedRequestId { get; set; }

    public DateTimeOffset? ReportedAt { get; set; }

    public string? ReportedWork { get; set; }

    public string? ReportedCompletedOn { get; set; }

    /// <summary>Comma-separated ids of the accepted files the contractor uploaded with the report.</summary>
    public string? ReportedEvidenceIds { get; set; }

    public string? ClosedOn { get; set; }

    public string? ClosingNote { get; set; }

    /// <summary>Comma-separated evidence ids of the correction.</summary>
    public string? ClosingEvidenceIds { get; set; }

    public string? ClosedBy { get; set; }

    public static string Key(string inspectionId, string actionId) => $"{InspectionRecord.KeyPrefix}{inspectionId}|action|{actionId}";

    public TrackedAction ToTracked() => new(
        new CorrectiveAction(Description, Owner, InspectionStore.ParseDate(DueOn)),
        InspectionStore.ParseDate(RaisedOn),
        ClosedOn is null ? null : new ActionClosure(InspectionStore.ParseDate(ClosedOn), ClosingNote ?? string.Empty, EvidenceIds()));

    public IReadOnlyList<string> EvidenceIds() =>
        string.IsNullOrEmpty(ClosingEvidenceIds) ? [] : ClosingEvidenceIds.Split(',');
}

public sealed class InspectionStore(TableServiceClient tables, AuditLog audit)
{
    private readonly TableClient table = tables.GetTableClient(TableNames.Engagements);

    private const string ActionMarker = "|action|";

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Adds the inspection with the trail entry that records it, or answers the stored one (<see cref="TrailedRows.AddOrGetAsync{T}"/>).</summary>
    public Task<(InspectionRecord Entity, bool Created)> AddOrGetAsync(InspectionRecord inspection, Func<InspectionRecord, TrailEntry?> entry, CancellationToken cancellationToken) =>
        audit.AddOrGetAsync(inspection, entry, token => table.GetOrNullAsync<InspectionRecord>(inspection.PartitionKey, inspection.RowKey, token), cancellationToken);

    public Task<InspectionRecord?> GetAsync(string engagementId, string inspectionId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<InspectionRecord>(engagementId, InspectionRecord.Key(inspectionId), cancellationToken);

    public Task<CorrectiveActionRecord?> GetActionAsync(string engagementId, string inspectionId, string actionId, CancellationToken cancellationToken) =>
        table.GetOrNullAsync<CorrectiveActionRecord>(engagementId, CorrectiveActionRecord.Key(inspectionId, actionId), cancellationToken);

    /// <summary>Every corrective action of the engagement, of every inspection.</summary>
    public async Task<IReadOnlyList<CorrectiveActionRecord>> ListActionsAsync(string engagementId, CancellationToken cancellationToken) =>
        [.. (await table.ListByPrefixAsync<CorrectiveActionRecord>(engagementId, InspectionRecord.KeyPrefix, cancellationToken)).Where(row => IsAction(row.RowKey))];

    /// <summary>Whether a row of the inspections' prefix is a corrective action (the others are inspections).</summary>
    public static bool IsAction(string rowKey)
    {
        ArgumentNullException.ThrowIfNull(rowKey);
        return rowKey.Contains(ActionMarker, StringComparison.Ordinal);
    }

    /// <summary>Every inspection of the engagement with its actions, oldest first by date.</summary>
    public async Task<IReadOnlyList<(InspectionRecord Inspection, IReadOnlyList<CorrectiveActionRecord> Actions)>> ListAsync(string engagementId, CancellationToken cancellationToken)
    {
        // Inspections and their actions share the key prefix; each row is read as the kind its key says it is.
        List<InspectionRecord> inspections = [.. (await table.ListByPrefixAsync<InspectionRecord>(engagementId, InspectionRecord.KeyPrefix, cancellationToken))
            .Where(row => !row.RowKey.Contains(ActionMarker, StringComparison.Ordinal))];
        IReadOnlyList<CorrectiveActionRecord> actions = await ListActionsAsync(engagementId, cancellationToken);

        return [.. inspections
            .OrderBy(inspection => inspection.On, StringComparer.Ordinal).ThenBy(inspection => inspection.RecordedAt)
            .Select(inspection => (inspection, (IReadOnlyList<CorrectiveActionRecord>)[.. actions
                .Where(action => action.InspectionId == inspection.InspectionId)
                .OrderBy(action => action.DueOn, StringComparer.Ordinal).ThenBy(action => action.ActionId, StringComparer.Ordinal)]))];
    }

    /// <summary>
    /// Adds the inspection's new actions, each with the trail entry that raises it, and counts them on the inspection, in
    /// one transaction conditional on the inspection's ETag: all or none. More actions than one transaction holds (about
    /// a third of <see cref="TableTransactions.MaxOperations"/>, each taking its entry and its key's marker) go in several,
    /// each counting its own. Answers how many were added: all of them, or the ones before a transaction that was refused
    /// because the inspection changed meanwhile (none when it changed since it was read).
    /// </summary>
    public async Task<int> AddActionsAsync(
        InspectionRecord inspection, IReadOnlyList<CorrectiveActionRecord> added, Func<CorrectiveActionRecord, TrailEntry> raised, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(raised);
        int done = 0;
        while (done < added.Count)
        {
            List<TableTransactionAction> change = [new(TableTransactionActionType.UpdateReplace, inspection, inspection.ETag)];
            List<TrailEntry> entries = [];
            while (done + entries.Count < added.Count)
            {
                CorrectiveActionRecord next = added[done + entries.Count];
                TrailEntry entry = raised(next);
                if (entries.Count > 0 && change.Count + 1 + AuditLog.OperationsFor([.. entries, entry]) > TableTransactions.MaxOperations)
                    break;
                change.Add(new TableTransactionAction(TableTransactionActionType.Add, next));
                entries.Add(entry);
            }

            inspection.FindingCount += entries.Count;
            if (await audit.CommitAsync(inspection.PartitionKey, change, entries, cancellationToken) != TrailCommit.Committed)
            {
                inspection.FindingCount -= entries.Count;
                return done;
            }

            done += entries.Count;
        }

        return done;
    }

    public async Task<bool> TryReplaceAsync(ITableEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Applies <paramref name="change"/> to the action row with the trail entry that records it, in one transaction (<see cref="TrailedRows.UpdateAsync{T}"/>).</summary>
    public Task<CorrectiveActionRecord?> UpdateActionAsync(
        string engagementId, string inspectionId, string actionId, Func<CorrectiveActionRecord, bool> change, Func<CorrectiveActionRecord, TrailEntry?> entry, CancellationToken cancellationToken) =>
        audit.UpdateAsync(token => GetActionAsync(engagementId, inspectionId, actionId, token), change, entry, cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the action row, ETag-conditional, reading again after a concurrent write.</summary>
    public async Task<CorrectiveActionRecord?> UpdateActionAsync(string engagementId, string inspectionId, string actionId, Func<CorrectiveActionRecord, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            if (await GetActionAsync(engagementId, inspectionId, actionId, cancellationToken) is not { } row)
                return null;
            if (!change(row) || await TryReplaceAsync(row, cancellationToken))
                return row;
        }
    }
}
