using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Supervision.Domain.Vendors;

namespace Supervision.Vendors;

/// <summary>
/// Signs and checks link tokens: <c>v1.{payload}.{signature}</c>, both base64url, the signature an HMAC-SHA256 over
/// <c>v1.{payload}</c> with the key the payload names (by a short fingerprint, never the key).
/// </summary>
public sealed class LinkSigner
{
    private const string Version = "v1";
    private const int MinimumKeyLength = 32;
    private readonly List<(string Id, byte[] Key)> keys;

    public LinkSigner(IOptions<VendorLinkOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        keys = [.. options.Value.SigningKeys.Where(key => !string.IsNullOrEmpty(key)).Select(key =>
        {
            if (key.Length < MinimumKeyLength)
                throw new InvalidOperationException($"Every {VendorLinkOptions.Section}:SigningKeys entry must be at least {MinimumKeyLength} characters.");
            byte[] bytes = Encoding.UTF8.GetBytes(key);
            return (Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 4)), bytes);
        })];
    }

    public bool CanSign => keys.Count > 0;

    public string Sign(LinkClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        (string id, byte[] key) = keys.Count > 0 ? keys[0] : throw new InvalidOperationException($"Configure {VendorLinkOptions.Section}:SigningKeys to issue links.");
        var payload = new Payload(id, claims.LinkId, claims.EngagementId, claims.RequestId, claims.Purpose, claims.ExpiresAt.ToUnixTimeSeconds());
        string signed = $"{Version}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        return $"{signed}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)))}";
    }

    /// <summary>
    /// Checks the token's form and signature only; expiry, purpose and revocation are the caller's next checks. Only the
    /// form <see cref="Sign"/> writes is accepted: base64url without padding or whitespace, so one link has one spelling.
    /// </summary>
    public LinkVerdict TryRead(string? token, out LinkClaims? claims)
    {
        claims = null;
        string[] parts = token?.Split('.') ?? [];
        if (parts.Length != 3 || parts[0] != Version || !IsCanonical(parts[1]) || !IsCanonical(parts[2]))
            return LinkVerdict.Malformed;

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (JsonException)
        {
            return LinkVerdict.Tampered;
        }

        byte[]? key = keys.FirstOrDefault(candidate => candidate.Id == payload?.K).Key;
        if (payload is null || key is null)
            return LinkVerdict.Tampered;
        byte[] expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
            return LinkVerdict.Tampered;

        // Signed, yet not something Sign writes (a leaked key, or a bug): refused as malformed, never an error.
        if (string.IsNullOrEmpty(payload.L) || string.IsNullOrEmpty(payload.E) || string.IsNullOrEmpty(payload.R)
            || !Enum.IsDefined(payload.P) || payload.X < 0 || payload.X > MaxUnixSeconds)
        {
            return LinkVerdict.Malformed;
        }

        claims = new LinkClaims(payload.L, payload.E, payload.R, payload.P, DateTimeOffset.FromUnixTimeSeconds(payload.X));
        return LinkVerdict.Valid;
    }

    /// <summary>The last second <see cref="DateTimeOffset"/> can hold (9999-12-31T23:59:59Z).</summary>
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static bool IsCanonical(string part) =>
        part.Length > 0 && Base64Url.IsValid(part) && Base64Url.EncodeToString(Base64Url.DecodeFromChars(part)) == part;

    /// <summary>Short property names keep links short enough for every mail client.</summary>
    private sealed record Payload(string K, string L, string E, string R, LinkPurpose P, long X);
}
