using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Pledges;

/// <summary>Staff read what the contractor attested about its staff's confidentiality pledges (4-1 … 4-3).</summary>
public sealed class PledgeEndpoints(ContractorDutyStore duties, StaffCalls calls)
{
    public const string Route = "api/engagements/{engagementId}/pledges";

    /// <summary><c>GET …/pledges</c>: every attestation asked for, oldest first, refused ones with their reasons, and the workflow's state.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        IReadOnlyList<ContractorDutyRecord> rows = await duties.ListAsync(engagementId, PledgeRequest.KeyPrefix, cancellationToken);
        OrchestrationMetadata? workflow = await durable.GetInstanceAsync(PledgeWorkflowInput.InstanceId(engagementId), cancellationToken);
        ContractorDutyRecord? last = rows.LastOrDefault(row => row.Status == nameof(DutyStatus.Accepted));
        return TypedResults.Ok(new PledgesView(
            [.. rows.Select(DutyView.Of)],
            last is null ? null : ContractorDutyStore.FactsOf(last)?.GetProperty(PledgeRequest.AttestedOn).GetString(),
            last?.NextDueOn,
            workflow?.RuntimeStatus.ToString()));
    }
}
