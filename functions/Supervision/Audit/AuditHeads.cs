using Azure;
using Microsoft.Extensions.Caching.Memory;
using Supervision.Domain.Audit;

namespace Supervision.Audit;

/// <summary>
/// The trail heads this process wrote last, with their ETags, so that an append following another on the same trail (a
/// request opened, its mail sent, the report requested) commits without reading the head first. The append stays
/// conditional on the ETag: a head another process moved fails the commit, and the append reads it and tries again.
/// Bounded, so a host serving many engagements keeps only the recently written heads.
/// </summary>
public sealed class AuditHeads : IDisposable
{
    public const int Capacity = 10_000;

    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly MemoryCache heads = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public bool TryGet(string engagementId, out (AuditHead Head, ETag ETag) head) => heads.TryGetValue(engagementId, out head);

    public void Set(string engagementId, AuditHead head, ETag etag) =>
        heads.Set(engagementId, (head, etag), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });

    public void Forget(string engagementId) => heads.Remove(engagementId);

    public void Dispose() => heads.Dispose();
}
