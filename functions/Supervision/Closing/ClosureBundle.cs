using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Staff;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Closing;

/// <summary>One file of the bundle, as its manifest lists it.</summary>
public sealed record BundleEntry(string Path, long Bytes, string Sha256);

/// <summary>
/// The auditors' bundle of an engagement's end (2-4, 7-2), built on request: the trail with its verification, the close
/// record, the ledger, the chain, and every certificate the tiers uploaded, with a manifest of each file's SHA-256.
/// </summary>
public sealed class ClosureBundle(ClosingStore store, TierStore tiers, ClosingEndpoints closing, AuditLog audit, AuditAnchors anchors, EvidenceStore evidence, StaffCalls calls)
{
    public const string Route = "api/engagements/{engagementId}/closure/bundle";

    private static readonly StaffRule Exporting = StaffRule.ToRead(StaffRole.Supervisor, StaffRole.Auditor);

    /// <summary><c>GET …/closure/bundle</c>: the zip, for supervisors and auditors.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, Exporting, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        EngagementRecord engagement = call.Engagement!;

        var files = new List<(string Path, byte[] Bytes)>
        {
            ("closure.json", Json(await closing.ViewAsync(engagement, cancellationToken))),
            ("trail.json", Json(new
            {
                entries = await audit.ListAsync(engagementId, cancellationToken),
                verification = await audit.VerifyAsync(engagementId, cancellationToken, await anchors.ListAsync(engagementId, cancellationToken)),
            })),
            ("ledger.json", Json(new { handovers = await tiers.ListHandoversAsync(engagementId, cancellationToken), checkouts = await store.ListCheckoutsAsync(engagementId, cancellationToken) })),
            ("chain.json", Json(await tiers.ListAsync(engagementId, cancellationToken))),
        };
        foreach (ReturnCertificateRecord certificate in await store.ListCertificatesAsync(engagementId, cancellationToken))
        {
            foreach (string evidenceId in certificate.EvidenceIds.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (await evidence.GetAsync(engagementId, evidenceId, cancellationToken) is { EvidenceBlobName: not null } record)
                    files.Add(($"certificates/{certificate.Tier}/{evidenceId}-{Path.GetFileName(record.OriginalFileName)}", (await evidence.ReadAsync(record, cancellationToken)).ToArray()));
            }
        }

        BundleEntry[] manifest = [.. files.Select(file => new BundleEntry(file.Path, file.Bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(file.Bytes))))];
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string path, byte[] bytes) in files.Append(("manifest.json", Json(new { engagementId, files = manifest }))))
            {
                await using Stream entry = await archive.CreateEntry(path, CompressionLevel.Optimal).OpenAsync(cancellationToken);
                await entry.WriteAsync(bytes, cancellationToken);
            }
        }

        await audit.AppendAsync(
            engagementId, AuditActors.Staff(call.Caller), AuditActions.ClosureBundleExported, new Dictionary<string, string> { ["files"] = manifest.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);
        return TypedResults.File(zip.ToArray(), "application/zip", $"engagement-{engagementId}-closure.zip");
    }

    private static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options);
}
