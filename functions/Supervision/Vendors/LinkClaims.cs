using Supervision.Domain.Vendors;

namespace Supervision.Vendors;

/// <summary>What a signed link says: which link, for which engagement and request, what it may do, until when.</summary>
public sealed record LinkClaims(string LinkId, string EngagementId, string RequestId, LinkPurpose Purpose, DateTimeOffset ExpiresAt);
