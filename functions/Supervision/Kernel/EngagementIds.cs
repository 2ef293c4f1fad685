using System.Security.Cryptography;
using System.Text;

namespace Supervision.Kernel;

/// <summary>
/// Engagement ids: 32 lowercase hex characters, safe as table keys and durable instance ids. With an
/// idempotency key the id is derived from the caller and the key, so a repeated request finds the same engagement
/// without a second index row to keep in step.
/// </summary>
public static class EngagementIds
{
    public const int MaxIdempotencyKeyLength = 128;

    public static string New() => Guid.NewGuid().ToString("N");

    public static string FromIdempotencyKey(string caller, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller}\n{key}")).AsSpan(0, 16));

    public static bool IsWellFormed(string? id) =>
        id is { Length: 32 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~');
}
