using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision.LocalHost.Azurite;
using Xunit;

namespace Supervision.Testing;

/// <summary>
/// One in-memory Azurite per test assembly, on free loopback ports, started and stopped with the same
/// <see cref="AzuriteServer"/> the local host uses. Each test takes its own task hub and ids, so tests never collide.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? server;

    public string ConnectionString => server?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync()
    {
        server = new AzuriteServer(
            new AzuriteOptions
            {
                InMemory = true,
                BlobPort = FreePorts.Next(),
                QueuePort = FreePorts.Next(),
                TablePort = FreePorts.Next(),
                DataDirectory = Path.Combine(Path.GetTempPath(), "supervision-tests", Guid.NewGuid().ToString("N")),
            },
            NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
    }

    /// <summary>A task hub name no other test uses (letters and digits only).</summary>
    public static string NewTaskHub() => "t" + Guid.NewGuid().ToString("N")[..12];
}
