using Supervision.Domain.Portfolio;
using Supervision.Domain.Staff;

namespace Supervision.Domain.Tests.Portfolio;

public sealed class PendingDecisionsTests
{
    [Fact]
    public void ASupervisor_TakesEveryDecision_ProcurementOnlyReceipts_AndAnAuditorNone()
    {
        Assert.Equal(Enum.GetValues<PendingDecision>(), PendingDecisions.For([StaffRole.Supervisor]));
        Assert.Equal([PendingDecision.ReturnReceipt], PendingDecisions.For([StaffRole.Procurement]));
        Assert.Empty(PendingDecisions.For([StaffRole.Auditor]));
        Assert.Equal(Enum.GetValues<PendingDecision>(), PendingDecisions.For([StaffRole.Procurement, StaffRole.Supervisor]));
    }
}
