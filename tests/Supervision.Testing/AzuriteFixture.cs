using System.Diagnostics.CodeAnalysis;
using Supervision.LocalHost.Azurite;
using Xunit;

namespace Supervision.Testing;

/// <summary>
/// Storage of its own for a collection or a class: a storage account no other fixture uses, on the one in-memory Azurite
/// of the test assembly (on free loopback ports, started and stopped with the same <see cref="AzuriteServer"/> the local
/// host uses). Tables, queues and blobs of one account are invisible to every other, so fixtures running side by side
/// never see each other's rows, as if each had an Azurite of its own, without a process each: a dozen Azurites starting
/// at once on a busy two-core machine took over a minute. Each test takes its own task hub and ids within its account.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteAccounts.Lease? lease;

    public string ConnectionString => lease?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync() => lease = await AzuriteAccounts.LeaseAsync();

    public async Task DisposeAsync()
    {
        if (lease is not null)
            await lease.ReleaseAsync();
        lease = null;
    }

    /// <summary>A task hub name no other test uses (letters and digits only).</summary>
    public static string NewTaskHub() => "t" + Guid.NewGuid().ToString("N")[..12];
}
