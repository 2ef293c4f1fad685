using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Selection;
using Supervision.Domain.Subcontracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Storage;
using Supervision.Vendors;

namespace Supervision.Sweep;

/// <summary>
/// The sweep's watch on certificates (1-5, and 3-1 for the subcontractors'): the renewal chase of each certificate
/// nearing or past expiry is started once per certificate and expiry.
/// </summary>
public sealed class RenewalSweep(TableServiceClient tables, IOptions<RequestOptions> requestOptions, ILogger<RenewalSweep> logger)
{
    private readonly TableClient engagements = tables.GetTableClient(TableNames.Engagements);

    public async Task SweepTiersAsync(DurableTaskClient durable, DateTimeOffset now, DateOnly today, SweepTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tally);

        // One scan of the subcontractors' rows: their certificates are watched as the contractor's are (3-1).
        string tierUpper = TierRecord.Prefix[..^1] + (char)(TierRecord.Prefix[^1] + 1);
        string tierFilter = TableClient.CreateQueryFilter($"RowKey ge {TierRecord.Prefix} and RowKey lt {tierUpper} and Status eq {nameof(SubcontractStatus.InForce)}");
        string[] tierColumns = [nameof(TierRecord.PartitionKey), nameof(TierRecord.RowKey), nameof(TierRecord.Certificates)];
        await foreach (TierRecord row in engagements.QueryAsync<TierRecord>(tierFilter, select: tierColumns, cancellationToken: cancellationToken))
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
