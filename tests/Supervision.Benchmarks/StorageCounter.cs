using System.Diagnostics.Metrics;

namespace Supervision.Benchmarks;

/// <summary>
/// Counts every HTTP request the process makes to the storage account (one request = one storage transaction), by the
/// service endpoint's host and port, from .NET's own <c>http.client.request.duration</c> measurements: the library's
/// clients and the engine's alike.
/// Requests made inside <see cref="Uncounted"/> (the benchmark's own seeding and polling) are left out.
/// </summary>
internal sealed class StorageCounter : IDisposable
{
    private static readonly AsyncLocal<bool> Excluded = new();
    private readonly MeterListener listener = new();
    private readonly Dictionary<(string Host, int Port), string> services;
    private long blob;
    private long queue;
    private long table;

    public StorageCounter(Uri blob, Uri queue, Uri table)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(table);
        services = new() { [(blob.Host, blob.Port)] = "blob", [(queue.Host, queue.Port)] = "queue", [(table.Host, table.Port)] = "table" };
        listener.InstrumentPublished = (instrument, meter) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                meter.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            if (Excluded.Value)
                return;
            string? host = null;
            int port = 0;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "server.address")
                    host = tag.Value as string;
                else if (tag.Key == "server.port" && tag.Value is int value)
                    port = value;
            }

            if (host is not null && services.TryGetValue((host, port), out string? service))
            {
                switch (service)
                {
                    case "blob": Interlocked.Increment(ref this.blob); break;
                    case "queue": Interlocked.Increment(ref this.queue); break;
                    default: Interlocked.Increment(ref this.table); break;
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
