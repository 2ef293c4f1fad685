using Azure;
using Microsoft.DurableTask.Client;
using Moq;

namespace Supervision.LocalHost.Tests.Engine;

/// <summary>A durable client whose raise fails, as when the task hub cannot be reached at the worst moment; the rest is real.</summary>
internal static class UnreachableEngine
{
    public static Mock<DurableTaskClient> Client()
    {
        var unreachable = new Mock<DurableTaskClient>("unreachable");
        unreachable
            .Setup(client => client.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "The task hub is unreachable."));
        return unreachable;
    }
}
