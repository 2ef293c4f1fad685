using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Supervision.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Mail;
using Supervision.Domain.Portfolio;
using Supervision.Incidents;
using Supervision.Inspections;
using Supervision.Kernel;
using Supervision.Reports;
using Supervision.Storage;
using Supervision.Sweep;
using Supervision.Vendors;

namespace Supervision.Portfolio;

/// <summary>
/// One engagement in the portfolio index: a row <c>e|{sortKey}</c> of the one partition <see cref="PortfolioIndex.Partition"/>,
/// sorted by how overdue the engagement is (<see cref="Outstandings.SortKey"/>), with what the portfolio filters on and
/// the earliest due day of each kind of thing outstanding. Its pointer row <c>id|{engagementId}</c> says where it is.
/// </summary>
public sealed class PortfolioRecord : ITableEntity
{
    public const string Prefix = "e|";

    public string PartitionKey { get; set; } = PortfolioIndex.Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string EngagementId { get; set; } = string.Empty;

    public string ContractorName { get; set; } = string.Empty;

    public string Stage { get; set; } = string.Empty;

    public string? RiskTier { get; set; }

    /// <summary>The engagement's supervisor as named, and the key the filter finds them by whatever its case (<see cref="Supervisors.Key"/>).</summary>
    public string? Supervisor { get; set; }

    public string? SupervisorKey { get; set; }

    /// <summary>The earliest due day (yyyy-MM-dd, Japan) of each kind outstanding; null when none is.</summary>
    public string? ReportDue { get; set; }

    public string? CheckoutDue { get; set; }

    public string? CorrectiveActionDue { get; set; }

    public string? CertificateDue { get; set; }

    public string? IncidentDue { get; set; }

    public string? RequestDue { get; set; }

    /// <summary>What the engagement waits for from staff (<see cref="PendingDecision"/>), one column each so a page can be filtered by role.</summary>
    public bool AwaitsSelection { get; set; }

    public bool AwaitsReportReview { get; set; }

    public bool AwaitsSubcontract { get; set; }

    public bool AwaitsIncidentJudgement { get; set; }

    public bool AwaitsReturnReceipt { get; set; }

    public bool AwaitsClose { get; set; }

    /// <summary>The trail's length when the row was computed: behind the trail's head, the row is refreshed.</summary>
    public long TrailSequence { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>The column of each decision, as the filter names it.</summary>
    public static string AwaitsColumn(PendingDecision decision) => "Awaits" + decision;

    public IReadOnlyList<PendingDecision> Decisions() =>
        [.. ((ReadOnlySpan<(PendingDecision, bool)>)
            [(PendingDecision.Selection, AwaitsSelection), (PendingDecision.ReportReview, AwaitsReportReview), (PendingDecision.Subcontract, AwaitsSubcontract),
             (PendingDecision.IncidentJudgement, AwaitsIncidentJudgement), (PendingDecision.ReturnReceipt, AwaitsReturnReceipt), (PendingDecision.Close, AwaitsClose)])
            .ToArray().Where(pair => pair.Item2).Select(pair => pair.Item1)];

    /// <summary>The column of each kind's due day, as the filter names it.</summary>
    public static string DueColumn(OverdueKind kind) => kind + "Due";

    public IReadOnlyDictionary<OverdueKind, DateOnly> EarliestByKind()
    {
        var earliest = new Dictionary<OverdueKind, DateOnly>();
        foreach ((OverdueKind kind, string? due) in (ReadOnlySpan<(OverdueKind, string?)>)
            [(OverdueKind.Report, ReportDue), (OverdueKind.Checkout, CheckoutDue), (OverdueKind.CorrectiveAction, CorrectiveActionDue),
             (OverdueKind.Certificate, CertificateDue), (OverdueKind.Incident, IncidentDue), (OverdueKind.Request, RequestDue)])
        {
            if (due is not null)
                earliest[kind] = DateOnly.ParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return earliest;
    }
}

/// <summary>The pointer rows this process wrote last (<see cref="RecentlyWritten{T}"/>): a refresh then writes without reading its pointer.</summary>
public sealed class PortfolioPointers : RecentlyWritten<TableEntity>;

/// <summary>
/// The portfolio index (docs/decisions/0006): a projection of each engagement's own rows, recomputed when its trail
/// moves. It is never a second truth: a row is only ever the engagement's state read again, and one that fell behind
/// (a crash before it was recomputed) is found by the sweep by its trail sequence and recomputed.
/// </summary>
public sealed class PortfolioIndex(TableServiceClient tables, DecisionsWaiting decisionsWaiting, TimeProvider time, PortfolioPointers? pointers = null) : ITrailCatchUp
{
    public const string Partition = "all";

    private const string PointerPrefix = "id|";

    private const string SortRowKey = "SortRowKey";

    private readonly TableClient index = tables.GetTableClient(TableNames.Portfolio);

    private readonly TableClient engagementRows = tables.GetTableClient(TableNames.Engagements);

    /// <summary>What a row is computed from: the engagement (its row and its trail's head), its requests, checkouts, inspections, incidents, reports and tiers.</summary>
    private static readonly string[] RowsRead =
        [EngagementRecord.MainRowKey, VendorRequestRecord.KeyPrefix, CheckoutRecord.Prefix, InspectionRecord.KeyPrefix, IncidentRecord.Prefix, ReportRecord.KeyPrefix, TierRecord.Prefix];

    /// <summary>Recomputes the engagement's row from its own state and moves it where it now sorts; answers it (null for no engagement).</summary>
    public async Task<PortfolioRecord?> RefreshAsync(string engagementId, CancellationToken cancellationToken)
    {
        // Everything the row is computed from, the trail's head with it, in one read: a change after it moves the head
        // again, and its follower refreshes again.
        PartitionRows rows = await engagementRows.ListByPrefixesAsync(engagementId, RowsRead, cancellationToken);
        if (rows.Row<EngagementRecord>(EngagementRecord.MainRowKey) is not { } engagement)
            return null;
        long sequence = rows.Entity(AuditLog.HeadRowKey) is { } head ? AuditLog.HeadOf(head).Sequence : 0;
        IReadOnlyList<IncidentRecord> incidentRows = rows.Of<IncidentRecord>(IncidentRecord.Prefix);
        IReadOnlyDictionary<OverdueKind, DateOnly> earliest = Outstandings.EarliestByKind(Outstanding(rows, incidentRows));
        HashSet<PendingDecision> decisions =
        [
            .. (await decisionsWaiting.ForAsync(engagement, incidentRows, rows.Of<ReportRecord>(ReportRecord.KeyPrefix), cancellationToken, tierRows: rows.Of<TierRecord>(TierRecord.Prefix)))
                .Select(decision => decision.Kind),
        ];
        string? Due(OverdueKind kind) => earliest.TryGetValue(kind, out DateOnly due) ? due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        var row = new PortfolioRecord
        {
            RowKey = PortfolioRecord.Prefix + Outstandings.SortKey(earliest, engagementId),
            EngagementId = engagementId,
            ContractorName = engagement.ContractorName,
            Stage = engagement.Stage,
            RiskTier = engagement.RiskTier,
            Supervisor = engagement.Supervisor,
            SupervisorKey = engagement.Supervisor is null ? null : Supervisors.Key(engagement.Supervisor),
            ReportDue = Due(OverdueKind.Report),
            CheckoutDue = Due(OverdueKind.Checkout),
            CorrectiveActionDue = Due(OverdueKind.CorrectiveAction),
            CertificateDue = Due(OverdueKind.Certificate),
            IncidentDue = Due(OverdueKind.Incident),
            RequestDue = Due(OverdueKind.Request),
            AwaitsSelection = decisions.Contains(PendingDecision.Selection),
            AwaitsReportReview = decisions.Contains(PendingDecision.ReportReview),
            AwaitsSubcontract = decisions.Contains(PendingDecision.Subcontract),
            AwaitsIncidentJudgement = decisions.Contains(PendingDecision.IncidentJudgement),
            AwaitsReturnReceipt = decisions.Contains(PendingDecision.ReturnReceipt),
            AwaitsClose = decisions.Contains(PendingDecision.Close),
            TrailSequence = sequence,
            ComputedAt = time.GetUtcNow(),
        };
        await WriteAsync(row, cancellationToken);
        return row;
    }

    /// <summary>Refreshes the engagement's row when it is behind its trail (or missing); answers whether it was.</summary>
    public async Task<bool> CatchUpAsync(string engagementId, CancellationToken cancellationToken)
    {
        if (!await IsBehindAsync(engagementId, cancellationToken))
            return false;
        await RefreshAsync(engagementId, cancellationToken);
        return true;
    }

    /// <summary>Whether the engagement's row is missing or was computed before its trail's last entry.</summary>
    public async Task<bool> IsBehindAsync(string engagementId, CancellationToken cancellationToken)
    {
        long head = (await AuditLog.HeadAsync(tables, engagementId, cancellationToken))?.Sequence ?? 0;
        TableEntity? pointer = await index.GetOrNullAsync<TableEntity>(Partition, PointerPrefix + engagementId, cancellationToken);
        return pointer is null || pointer.GetInt64(nameof(PortfolioRecord.TrailSequence)) < head;
    }

    /// <summary>
    /// One page of the index as filtered (an OData filter over its columns, or null), from after <paramref name="after"/>
    /// (a row's sort key), most overdue first; and the sort key to continue from, or null on the last page.
    /// </summary>
    public async Task<(IReadOnlyList<PortfolioRecord> Rows, string? Next)> PageAsync(string? filter, string? after, int pageSize, CancellationToken cancellationToken)
    {
        string from = after is null ? PortfolioRecord.Prefix : PortfolioRecord.Prefix + after;
        string range = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {from} and RowKey lt {PortfolioRecord.Prefix[..^1] + "}"}");
        var rows = new List<PortfolioRecord>(pageSize + 1);
        await foreach (PortfolioRecord row in index.QueryAsync<PortfolioRecord>(filter is null ? range : $"{range} and ({filter})", maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > pageSize)
                break;
        }

        return rows.Count > pageSize
            ? (rows[..pageSize], rows[pageSize - 1].RowKey[PortfolioRecord.Prefix.Length..])
            : (rows, null);
    }

    /// <summary>The row and its pointer in one transaction of the index's partition; the row it replaces goes in the same one.</summary>
    private async Task WriteAsync(PortfolioRecord row, CancellationToken cancellationToken)
    {
        while (true)
        {
            TableEntity? pointer = pointers is not null && pointers.TryGet(row.EngagementId, out TableEntity written)
                ? written
                : await index.GetOrNullAsync<TableEntity>(Partition, PointerPrefix + row.EngagementId, cancellationToken);
            // Another refresh of the same engagement wrote a later state: it stands.
            if (pointer is not null && pointer.GetInt64(nameof(PortfolioRecord.TrailSequence)) > row.TrailSequence)
                return;
            string? previous = pointer?.GetString(SortRowKey);
            var next = new TableEntity(Partition, PointerPrefix + row.EngagementId)
            {
                [SortRowKey] = row.RowKey,
                [nameof(PortfolioRecord.TrailSequence)] = row.TrailSequence,
            };
            List<TableTransactionAction> actions =
            [
                pointer is null ? new(TableTransactionActionType.Add, next) : new(TableTransactionActionType.UpdateReplace, next, pointer.ETag),
                new(TableTransactionActionType.UpsertReplace, row),
            ];
            if (previous is not null && previous != row.RowKey)
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition, previous), ETag.All));
            try
            {
                Response<IReadOnlyList<Response>> committed = await index.SubmitTransactionAsync(actions, cancellationToken);
                if (committed.Value is [{ Headers.ETag: { } etag }, ..])
                {
                    next.ETag = etag;
                    pointers?.Set(row.EngagementId, next);
                }

                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // Another refresh of the same engagement moved the pointer first, or the one remembered is gone: read it
                // again and decide again.
                pointers?.Forget(row.EngagementId);
            }
        }
    }

    /// <summary>Everything the engagement still owes, from its own rows.</summary>
    private static List<Outstanding> Outstanding(PartitionRows rows, IReadOnlyList<IncidentRecord> incidentRows)
    {
        var outstanding = new List<Outstanding>();
        foreach (VendorRequestRecord request in rows.Of<VendorRequestRecord>(VendorRequestRecord.KeyPrefix).Where(request => request.Status == nameof(RequestStatus.Open)))
        {
            if (request.DueAt is { } dueAt && KindOf(request.Kind) is { } kind)
                outstanding.Add(new Outstanding(kind, JapanCalendar.DateAt(dueAt)));
        }

        outstanding.AddRange(rows.Of<CheckoutRecord>(CheckoutRecord.Prefix)
            .Where(row => row.ReturnedOn is null)
            .Select(row => new Outstanding(OverdueKind.Checkout, Date(row.DueBack))));
        outstanding.AddRange(rows.Of<CorrectiveActionRecord>(InspectionRecord.KeyPrefix)
            .Where(action => InspectionStore.IsAction(action.RowKey) && action.ClosedOn is null && action.ReportedAt is null)
            .Select(action => new Outstanding(OverdueKind.CorrectiveAction, Date(action.DueOn))));
        outstanding.AddRange(incidentRows
            .Select(IncidentViews.View)
            .Where(incident => incident.NextDeadline is not null)
            .Select(incident => new Outstanding(OverdueKind.Incident, JapanCalendar.DateAt(incident.NextDeadline!.Value))));
        return outstanding;
    }

    /// <summary>What a request is late with; standing links (incident and subcontract requests) are never due.</summary>
    private static OverdueKind? KindOf(string requestKind) => requestKind switch
    {
        OpenReportRequest.RequestKind => OverdueKind.Report,
        DailySweep.RenewalRequestKind => OverdueKind.Certificate,
        IncidentEndpoints.LinkRequestKind or Subcontracts.SubcontractLinks.RequestKind => null,
        _ => OverdueKind.Request,
    };

    private static DateOnly Date(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
