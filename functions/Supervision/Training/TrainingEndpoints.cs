using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Training;

/// <summary>Staff read the contractor's training plans and results (5-1, 5-2).</summary>
public sealed class TrainingEndpoints(ContractorDutyStore duties, StaffCalls calls)
{
    public const string Route = "api/engagements/{engagementId}/training";

    /// <summary><c>GET …/training</c>: every plan and result asked for, oldest first, refused ones with their reasons and the uploads not counted.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        IReadOnlyList<ContractorDutyRecord> plans = await duties.ListAsync(engagementId, TrainingRequests.PlanPrefix, cancellationToken);
        IReadOnlyList<ContractorDutyRecord> results = await duties.ListAsync(engagementId, TrainingRequests.ResultPrefix, cancellationToken);
        OrchestrationMetadata? workflow = await durable.GetInstanceAsync(TrainingWorkflowInput.InstanceId(engagementId), cancellationToken);
        return TypedResults.Ok(new TrainingView(
            [.. plans.Select(DutyView.Of)],
            [.. results.Select(DutyView.Of)],
            workflow?.RuntimeStatus.ToString()));
    }
}

public sealed record TrainingView(IReadOnlyList<DutyView> Plans, IReadOnlyList<DutyView> Results, string? Workflow);
