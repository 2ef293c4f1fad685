using Azure;
using Supervision.Domain.Audit;
using Supervision.Storage;

namespace Supervision.Audit;

/// <summary>
/// The trail heads this process wrote or read last, with their ETags, so that an append following another on the same
/// trail (a request opened, its mail settled) commits without reading the head first.
/// </summary>
public sealed class AuditHeads : RecentlyWritten<(AuditHead Head, ETag ETag)>
{
    public void Set(string engagementId, AuditHead head, ETag etag) => Set(engagementId, (head, etag));
}
