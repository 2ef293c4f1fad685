using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Selection;
using Supervision.Domain.Subcontracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Sweep;

/// <summary>
/// The sweep's watch on certificates (1-5, and 3-1 for the subcontractors'): the renewal chase of each certificate
/// nearing or past expiry is started once per certificate and expiry.
/// </summary>
public sealed class RenewalSweep(IOptions<RequestOptions> requestOptions, ILogger<RenewalSweep> logger)
{
    /// <summary>Watches the certificates of one engagement's subcontractors in force, as the sweep read their rows (3-1).</summary>
    public async Task SweepTiersAsync(DurableTaskClient durable, IEnumerable<TierRecord> tiers, DateTimeOffset now, DateOnly today, SweepTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        ArgumentNullException.ThrowIfNull(tally);
        foreach (TierRecord row in tiers.Where(tier => tier.Status == nameof(SubcontractStatus.InForce)))
        {
            try
            {
                await RequestAsync(durable, row.EngagementId, row.TierId, row.Certificates, now, today, tally, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Sweep of tier {TierId} of engagement {EngagementId} failed", row.TierId, row.EngagementId);
                tally.Failures.Add(Tiers.InstanceId(row.EngagementId, row.TierId));
            }
        }
    }

    /// <summary>
    /// Starts the renewal chase of each certificate due for renewal evidence, once per certificate and expiry. A chase
    /// already running or done is left alone; a failed or terminated one is started again (its request and mail are keyed).
    /// </summary>
    public async Task RequestAsync(
        DurableTaskClient durable, string engagementId, string? tierId, string? certificatesJson, DateTimeOffset now, DateOnly today, SweepTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(tally);
        if (string.IsNullOrEmpty(certificatesJson))
            return;
        List<Certificate> certificates = JsonSerializer.Deserialize<List<Certificate>>(certificatesJson, ApiJson.Options) ?? [];
        foreach (RenewalDue due in CertificateRenewal.Due(certificates, today))
        {
            string requestId = DailySweep.RenewalRequestId(engagementId, due.Certificate, tierId);
            string instanceId = CertificateRenewalInput.InstanceId(engagementId, due.Certificate, tierId);
            var input = new CertificateRenewalInput(engagementId, due.Certificate, due.Status, due.Window, now + requestOptions.Value.AnswerWithin, TierId: tierId);
            OrchestrationMetadata? previous = await durable.GetInstanceAsync(instanceId, cancellationToken);
            bool started = (previous is null || LostInstances.IsLost(previous))
                && await LostInstances.TryStartAsync(durable, nameof(CertificateRenewalWorkflow), input, instanceId, cancellationToken);
            (started ? tally.RenewalRequestsOpened : tally.RenewalRequestsAlreadyOpen).Add(requestId);
        }
    }
}
