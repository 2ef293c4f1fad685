using System.Diagnostics.Metrics;

namespace Supervision.Benchmarks;

/// <summary>
/// Counts every HTTP request the process makes to Azurite (one request = one storage transaction), by service port, from
/// .NET's own <c>http.client.request.duration</c> measurements: the library's clients and the engine's alike.
/// Requests made inside <see cref="Uncounted"/> (the benchmark's own seeding and polling) are left out.
/// </summary>
internal sealed class StorageCounter : IDisposable
{
    private static readonly AsyncLocal<bool> Excluded = new();
    private readonly MeterListener listener = new();
    private readonly Dictionary<int, string> services;
    private long blob;
    private long queue;
    private long table;

    public StorageCounter(int blobPort, int queuePort, int tablePort)
    {
        services = new() { [blobPort] = "blob", [queuePort] = "queue", [tablePort] = "table" };
        listener.InstrumentPublished = (instrument, meter) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                meter.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            if (Excluded.Value)
                return;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int port && services.TryGetValue(port, out string? service))
                {
                    switch (service)
                    {
                        case "blob": Interlocked.Increment(ref blob); break;
                        case "queue": Interlocked.Increment(ref queue); break;
                        default: Interlocked.Increment(ref table); break;
                    }
                }
            }
        });
        listener.Start();
    }

    public (long Blob, long Queue, long Table) Snapshot() => (Interlocked.Read(ref blob), Interlocked.Read(ref queue), Interlocked.Read(ref table));

    public static async Task<T> Uncounted<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        bool before = Excluded.Value;
        Excluded.Value = true;
        try
        {
            return await work();
        }
        finally
        {
            Excluded.Value = before;
        }
    }

    public void Dispose() => listener.Dispose();
}
