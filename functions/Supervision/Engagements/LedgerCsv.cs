using System.Globalization;
using Microsoft.AspNetCore.Http;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Domain.Audit;
using Supervision.Domain.Staff;
using Supervision.Handovers;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Engagements;

/// <summary>One row of <c>handovers.csv</c> (composed here: it reads the ledger and the end of the engagement): a handover, and the return or erasure of the tier it went to (none before the end).</summary>
public sealed record LedgerRow(HandoverView Handover, TierReturnView? TierReturn);

/// <summary>
/// <c>GET …/handovers.csv</c>, for supervisors and auditors: the ledger as <c>GET …/handovers</c> answers it, a row per
/// handover with the tier it went to, and that tier's return or erasure as <c>GET …/closure</c> shows it (2-4, 7-2, 7-5).
/// </summary>
public sealed class LedgerCsv(HandoverStore store, ClosingEndpoints closing, AuditLog audit, StaffCalls calls)
{
    public const string Route = "api/engagements/{engagementId}/handovers.csv";

    private static readonly StaffRule Exporting = StaffRule.ToRead(StaffRole.Supervisor, StaffRole.Auditor);

    private static readonly CsvColumn<LedgerRow>[] Columns =
    [
        new("handoverId", row => row.Handover.Id),
        new("toTier", row => row.Handover.ToTier),
        new("dataItems", row => CsvResults.Json(row.Handover.DataItems)),
        new("recordCount", row => CsvResults.Number(row.Handover.RecordCount)),
        new("medium", row => CsvResults.Name(row.Handover.Medium)),
        new("transferMethod", row => CsvResults.Name(row.Handover.TransferMethod)),
        new("senderName", row => row.Handover.SenderName),
        new("receiverName", row => row.Handover.ReceiverName),
        new("receiverEmail", row => row.Handover.ReceiverEmail),
        new("handedOverOn", row => row.Handover.HandedOverOn),
        new("recordedBy", row => row.Handover.RecordedBy),
        new("recordedAt", row => CsvResults.Utc(row.Handover.RecordedAt)),
        new("acknowledgementStatus", row => CsvResults.Name(row.Handover.Acknowledgement.Status)),
        new("acknowledgedAt", row => CsvResults.Utc(row.Handover.Acknowledgement.AcknowledgedAt)),
        new("disputedAt", row => CsvResults.Utc(row.Handover.Acknowledgement.DisputedAt)),
        new("recordsReceived", row => row.Handover.Acknowledgement.RecordsReceived),
        new("remark", row => row.Handover.Acknowledgement.Remark),
        new("returnDisposition", row => row.TierReturn?.Certificate?.Disposition),
        new("returnMethod", row => row.TierReturn?.Certificate?.Method),
        new("returnPerformedOn", row => row.TierReturn?.Certificate?.PerformedOn),
        new("returnPerformedBy", row => row.TierReturn?.Certificate?.PerformedBy),
        new("returnCertifiedAt", row => CsvResults.Utc(row.TierReturn?.Certificate?.CertifiedAt)),
        new("returnCounts", row => row.TierReturn is { } tier ? CsvResults.Boolean(tier.Counts) : null),
        new("keptWithConsent", row => CsvResults.Json(row.TierReturn?.Kept.Select(kept => kept.DataItem).Intersect(row.Handover.DataItems, StringComparer.Ordinal) ?? [])),
    ];

    public async Task<IResult> GetAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, Exporting, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        EngagementRecord engagement = call.Engagement!;

        IReadOnlyList<HandoverView> ledger = HandoverEndpoints.Ledger(await store.ListHandoversAsync(engagementId, cancellationToken));
        Dictionary<string, TierReturnView> returns = (await closing.ViewAsync(engagement, cancellationToken)).Tiers.ToDictionary(tier => tier.Tier, StringComparer.Ordinal);
        IResult csv = CsvResults.Attachment(
            $"engagement-{engagementId}-handovers.csv",
            Columns,
            ledger.Select(handover => new LedgerRow(handover, returns.GetValueOrDefault(handover.ToTier))));
        await audit.AppendAsync(
            engagementId,
            AuditActors.Staff(call.Caller),
            AuditActions.LedgerExported,
            new Dictionary<string, string> { ["handovers"] = ledger.Count.ToString(CultureInfo.InvariantCulture) },
            cancellationToken);
        return csv;
    }
}
