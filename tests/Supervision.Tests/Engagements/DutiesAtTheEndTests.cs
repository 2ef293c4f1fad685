using Microsoft.DurableTask.Client;
using Moq;
using Supervision.Engagements;

namespace Supervision.Tests.Engagements;

public sealed class DutiesAtTheEndTests
{
    private const string EngagementId = "0123456789abcdef0123456789abcdef";

    private static OrchestrationMetadata Instance(string instanceId, OrchestrationRuntimeStatus status) =>
        new("any", instanceId) { RuntimeStatus = status };

    [Fact]
    public async Task Qa_2_4_WhenTheWorkEnds_TheDutiesStillWaiting_AreStopped_AndThoseAlreadyOverAreLeftAlone()
    {
        var durable = new Mock<DurableTaskClient>("test");
        string[] ids = [.. DutiesAtTheEnd.InstanceIds(EngagementId)];
        durable.Setup(client => client.GetInstanceAsync(ids[0], It.IsAny<CancellationToken>())).ReturnsAsync(Instance(ids[0], OrchestrationRuntimeStatus.Running));
        durable.Setup(client => client.GetInstanceAsync(ids[1], It.IsAny<CancellationToken>())).ReturnsAsync(Instance(ids[1], OrchestrationRuntimeStatus.Completed));
        durable.Setup(client => client.GetInstanceAsync(ids[2], It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);

        IReadOnlyList<string> stopped = await new DutiesAtTheEnd().StopAsync(EngagementId, durable.Object, CancellationToken.None);

        Assert.Equal([ids[0]], stopped);
        durable.Verify(client => client.TerminateInstanceAsync(ids[0], It.Is<TerminateInstanceOptions>(options => (string?)options.Output == DutiesAtTheEnd.EndedReason), It.IsAny<CancellationToken>()), Times.Once());
        durable.Verify(client => client.TerminateInstanceAsync(It.IsNotIn(ids[0]), It.IsAny<TerminateInstanceOptions>(), It.IsAny<CancellationToken>()), Times.Never());
    }
}
