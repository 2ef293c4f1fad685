using System.Globalization;
using Microsoft.AspNetCore.Http;
using Supervision.Domain.Audit;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Security;

namespace Supervision.Audit;

/// <summary>The supervisor and the auditor read an engagement's audit trail and have its chain checked; nobody changes it.</summary>
public sealed class AuditEndpoints(AuditLog audit, AuditAnchors anchors, StaffCalls calls)
{
    public const string ListRoute = "api/engagements/{engagementId}/audit";
    public const string VerificationRoute = "api/engagements/{engagementId}/audit/verification";
    public const string CsvRoute = "api/engagements/{engagementId}/audit.csv";

    public static IReadOnlyList<StaffRole> Readers { get; } = [StaffRole.Supervisor, StaffRole.Auditor];

    private static readonly StaffRule Reading = StaffRule.ToRead(Readers);

    /// <summary>The columns of <c>audit.csv</c>: the fields of <see cref="AuditEntry"/>, its details as one JSON object.</summary>
    private static readonly CsvColumn<AuditEntry>[] TrailColumns =
    [
        new("sequence", entry => CsvResults.Number(entry.Sequence)),
        new("at", entry => CsvResults.Utc(entry.At)),
        new("actor", entry => entry.Actor),
        new("action", entry => entry.Action),
        new("details", entry => CsvResults.Json(entry.Details)),
        new("previousHash", entry => entry.PreviousHash),
        new("hash", entry => entry.Hash),
    ];

    /// <summary><c>GET /api/engagements/{id}/audit</c>: every entry of the trail, oldest first, with its hashes.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, Reading, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        IReadOnlyList<AuditEntry> entries = await audit.ListAsync(engagementId, cancellationToken);
        return TypedResults.Ok(new AuditTrailView(engagementId, entries));
    }

    /// <summary>
    /// <c>GET /api/engagements/{id}/audit.csv</c>: the same entries as <see cref="ListAsync"/>, a row each, for a spreadsheet.
    /// The export then goes on the trail with the hash of the last entry it holds.
    /// </summary>
    public async Task<IResult> ExportCsvAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, Reading, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        IReadOnlyList<AuditEntry> entries = await audit.ListAsync(engagementId, cancellationToken);
        IResult csv = CsvResults.Attachment($"engagement-{engagementId}-audit.csv", TrailColumns, entries);
        await audit.AppendAsync(
            engagementId,
            AuditActors.Staff(call.Caller),
            AuditActions.TrailExported,
            new Dictionary<string, string>
            {
                ["entries"] = entries.Count.ToString(CultureInfo.InvariantCulture),
                ["lastHash"] = entries.Count == 0 ? string.Empty : entries[^1].Hash,
            },
            cancellationToken);
        return csv;
    }

    /// <summary>
    /// <c>GET /api/engagements/{id}/audit/verification</c>: is the chain intact and does it match its anchors, and if not,
    /// where it first breaks (or, for a rewrite with recomputed hashes, after which anchored entry it began).
    /// </summary>
    public async Task<IResult> VerifyAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, Reading, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        ChainVerification result = await audit.VerifyAsync(engagementId, cancellationToken, await anchors.ListAsync(engagementId, cancellationToken));
        return TypedResults.Ok(new AuditVerificationView(
            engagementId, result.IsIntact, result.EntryCount, result.FirstBrokenSequence, result.Reason, result.HeadHash));
    }
}

public sealed record AuditTrailView(string EngagementId, IReadOnlyList<AuditEntry> Entries);

/// <summary>
/// The verification's answer. <see cref="HeadHash"/> (when intact) fingerprints the whole trail: kept elsewhere, it
/// shows later that nothing before it was rewritten.
/// </summary>
public sealed record AuditVerificationView(string EngagementId, bool IsIntact, int EntryCount, long? FirstBrokenSequence, string Reason, string? HeadHash);
