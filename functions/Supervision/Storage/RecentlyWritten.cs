using Microsoft.Extensions.Caching.Memory;

namespace Supervision.Storage;

/// <summary>
/// What this process wrote last of each key (a trail's head, a portfolio pointer), with the ETag it was written with, so
/// that the next conditional write needs no read first. Still conditional: a value another process moved fails that
/// write, and the writer forgets it and reads. Bounded, so a host serving many engagements keeps only the recent ones.
/// </summary>
public abstract class RecentlyWritten<T> : IDisposable
{
    public const int Capacity = 10_000;

    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly MemoryCache values = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public bool TryGet(string key, out T value) => values.TryGetValue(key, out value!);

    public void Set(string key, T value) =>
        values.Set(key, value, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });

    public void Forget(string key) => values.Remove(key);

    public void Dispose()
    {
        values.Dispose();
        GC.SuppressFinalize(this);
    }
}
