namespace Supervision.Vendors;

/// <summary>Signed vendor links (<c>Supervision:Links</c>).</summary>
public sealed class VendorLinkOptions
{
    public const string Section = "Supervision:Links";

    /// <summary>
    /// HMAC keys, at least 32 characters each. The first signs new links; every key verifies, so a rotated-out key
    /// keeps its links working until it is removed. On Azure they are Key Vault references.
    /// </summary>
    public List<string> SigningKeys { get; } = [];

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Where contractors reach the pages, for the links put in mails.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://127.0.0.1:7071");
}
