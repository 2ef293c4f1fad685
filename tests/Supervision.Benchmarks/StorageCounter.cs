using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Supervision.Storage;

namespace Supervision.Benchmarks;

/// <summary>
/// Counts every HTTP request the process makes to the storage account (one request = one storage transaction), by the
/// service endpoint's host and port, from .NET's own <c>http.client.request.duration</c> measurements: the library's
/// clients and the engine's alike.
/// Requests made inside <see cref="Uncounted"/> (the benchmark's own seeding and polling) are left out.
/// The library's own table operations (its clients' User-Agent leads with <see cref="StorageClients.ApplicationId"/>) are
/// also counted by method and table, from the HTTP client's diagnostic events.
/// </summary>
internal sealed class StorageCounter : IDisposable, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private static readonly AsyncLocal<bool> Excluded = new();
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> libraryTableOperations = new();
    private readonly List<IDisposable> subscriptions = [];
    private readonly string tableHost;
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
        tableHost = table.Authority;
        subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
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

    /// <summary>The library's table operations so far, by "METHOD table" (a transaction is "POST $batch").</summary>
    public IReadOnlyDictionary<string, long> LibraryTableOperations() => new Dictionary<string, long>(libraryTableOperations);

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == "HttpHandlerDiagnosticListener")
        {
            lock (subscriptions)
                subscriptions.Add(value.Subscribe(this, name => name.StartsWith("System.Net.Http.HttpRequestOut", StringComparison.Ordinal)));
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != "System.Net.Http.HttpRequestOut.Stop" || Excluded.Value
            || value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) is not HttpRequestMessage { RequestUri: { } uri } request
            || uri.Authority != tableHost
            || !request.Headers.UserAgent.ToString().StartsWith(StorageClients.ApplicationId, StringComparison.Ordinal))
            return;
        // Azurite's paths lead with the account (/devstoreaccount1/Table(...)); Azure's do not.
        string[] segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string resource = segments.Length == 0 ? "" : segments[^1];
        int key = resource.IndexOf('(', StringComparison.Ordinal);
        string tableName = key >= 0 ? resource[..key] : resource;
        string what = request.Method != HttpMethod.Get ? ""
            : key >= 0 && resource[key..] != "()" ? " " + RowKind(Uri.UnescapeDataString(resource[key..]))
            : " range " + RangeKind(Uri.UnescapeDataString(uri.Query));
        libraryTableOperations.AddOrUpdate($"{request.Method} {tableName}{what}", 1, (_, count) => count + 1);
    }

    // A query's filter names where its range of row keys starts (RowKey ge 'incident|'): shown as that prefix, or "scan".
    private static string RangeKind(string query)
    {
        foreach (string from in (string[])["RowKey ge '", "RowKey eq '"])
        {
            int start = query.IndexOf(from, StringComparison.Ordinal);
            if (start >= 0)
                return Prefix(query[(start + from.Length)..].Split('\'')[0]);
        }

        return "scan";
    }

    // (PartitionKey='…',RowKey='report|0001') → report|; a row key without a prefix is shown whole.
    private static string RowKind(string keys)
    {
        int start = keys.IndexOf("RowKey='", StringComparison.Ordinal);
        if (start < 0)
            return keys;
        return Prefix(keys[(start + "RowKey='".Length)..].TrimEnd(')', '\''));
    }

    private static string Prefix(string rowKey)
    {
        int bar = rowKey.IndexOf('|', StringComparison.Ordinal);
        return bar >= 0 ? rowKey[..(bar + 1)] : rowKey.Length > 20 ? "…" : rowKey;
    }

    void IObserver<DiagnosticListener>.OnCompleted() { }

    void IObserver<DiagnosticListener>.OnError(Exception error) { }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted() { }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error) { }

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

    public void Dispose()
    {
        listener.Dispose();
        lock (subscriptions)
            subscriptions.ForEach(subscription => subscription.Dispose());
    }
}
