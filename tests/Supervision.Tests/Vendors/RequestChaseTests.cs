using Supervision.Kernel;
using Supervision.Tests.Durable;
using Supervision.Vendors;

namespace Supervision.Tests.Vendors;

public sealed class RequestChaseTests
{
    private static readonly DateTime Now = new(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly OpenedRequest Opened = new("engagement-1", "request-2", Now.AddDays(14), TimeSpan.FromDays(3), 3);

    [Fact]
    public async Task AnEventOfAnotherRequest_DeliveredAgainLate_IsPassedOver_AndTheRequestsOwnEventEndsTheWait()
    {
        var harness = new OrchestrationHarness(Now) { HoldTimers = true }.Listen<VendorRequestFulfilled>(nameof(VendorRequestFulfilled));
        harness.Raise(nameof(VendorRequestFulfilled), new VendorRequestFulfilled("request-1", "link-old"));

        Task<VendorRequestFulfilled> waiting = RequestChase.UntilFulfilledAsync(harness.Object, Opened);
        Assert.False(waiting.IsCompleted);
        harness.Raise(nameof(VendorRequestFulfilled), new VendorRequestFulfilled("request-2", "link-new"));

        Assert.Equal(new VendorRequestFulfilled("request-2", "link-new"), await waiting);
        Assert.Empty(harness.Activities);
    }

    [Fact]
    public async Task AnUnansweredRequest_IsChasedAsARequest_FromItsDueTime()
    {
        var harness = new OrchestrationHarness(Now).Listen<VendorRequestFulfilled>(nameof(VendorRequestFulfilled));
        harness.Answer = (name, _) =>
        {
            if (name == nameof(EscalateChased))
                harness.Raise(nameof(VendorRequestFulfilled), new VendorRequestFulfilled("request-2", "link-1"));
            return true;
        };

        await RequestChase.UntilFulfilledAsync(harness.Object, Opened);

        Assert.Equal([Now.AddDays(14), Now.AddDays(17), Now.AddDays(20), Now.AddDays(23)], harness.Timers);
        Assert.All(harness.Activities, call => Assert.Equal(new ChaseTarget(VendorRequestChase.ChaseKind, "engagement-1", "request-2"), ((ChaseNotice)call.Input!).Target));
    }
}
