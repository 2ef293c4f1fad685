namespace Supervision.Domain.Vendors;

/// <summary>Why a link was refused, so the page can tell the person what to do; <see cref="Valid"/> when it was not.</summary>
public enum LinkVerdict
{
    Valid,
    Malformed,
    Tampered,
    Expired,
    Revoked,
    WrongPurpose,
    WrongEngagement,
}
