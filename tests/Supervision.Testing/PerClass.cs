using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace Supervision.Testing;

/// <summary>
/// One <typeparamref name="T"/> (a running local host, say) shared by the tests of a class, as an xUnit class fixture,
/// for classes whose tests need no fresh one because each takes its own engagements and ids. The first test starts it
/// with what it was given (the collection's Azurite, which a class fixture cannot take), the others reuse it, and it is
/// disposed after the class's last test. Starting and stopping a local host costs about a second; a class of many
/// short tests spends most of its time on that otherwise.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class PerClass<T> : IAsyncLifetime
    where T : class, IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private T? value;

    /// <summary>The shared value, started by <paramref name="start"/> on the first call only.</summary>
    public async Task<T> GetAsync(Func<Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        await gate.WaitAsync();
        try
        {
            return value ??= await start();
        }
        finally
        {
            gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (value is not null)
            await value.DisposeAsync();
        gate.Dispose();
    }
}
