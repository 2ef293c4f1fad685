using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Supervision.Vendors;

namespace Supervision.Security;

/// <summary>Why a staff form post was refused before anything read it.</summary>
public enum FormRefusal
{
    None,
    OtherOrigin,
    MissingToken,
    BadToken,
    Expired,
}

/// <summary>
/// Cross-site request forgery protection for the staff pages' forms, without a session: each form carries a token that
/// is an HMAC over the signed-in user's name and an expiry, so a page of another site can neither read one nor make
/// one, and a token of one user is worthless to another. A post must also come from this site (the browser's
/// <c>Origin</c> and <c>Sec-Fetch-Site</c>, when sent). The key is derived (HKDF) from the link-signing key, so there is
/// no second secret to keep; every configured key verifies, as for links.
/// </summary>
public sealed class StaffFormGuard
{
    public const string TokenField = "csrf";

    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("supervision staff forms v1");
    private readonly List<byte[]> keys;
    private readonly TimeProvider time;

    public StaffFormGuard(IOptions<VendorLinkOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time;
        keys = [.. options.Value.SigningKeys.Where(key => !string.IsNullOrEmpty(key))
            .Select(key => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(key), 32, info: Purpose))];
    }

    /// <summary>How long a page's forms may be sent after it was served: a working day with the page left open.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(12);

    public string Issue(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        byte[] key = keys.Count > 0 ? keys[0] : throw new InvalidOperationException($"Configure {VendorLinkOptions.Section}:SigningKeys to serve staff forms.");
        string expires = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{expires}.{Base64Url.EncodeToString(Mac(key, user.Name, expires))}";
    }

    public FormRefusal Check(HttpRequest request, string? token, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        if (!IsSameOrigin(request))
            return FormRefusal.OtherOrigin;
        if (string.IsNullOrEmpty(token))
            return FormRefusal.MissingToken;
        string[] parts = token.Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long expires)
            || parts[1].Length != 43 || !Base64Url.IsValid(parts[1]))
        {
            return FormRefusal.BadToken;
        }

        byte[] given = Base64Url.DecodeFromChars(parts[1]);
        if (!keys.Any(key => CryptographicOperations.FixedTimeEquals(Mac(key, user.Name, parts[0]), given)))
            return FormRefusal.BadToken;
        return expires < time.GetUtcNow().ToUnixTimeSeconds() ? FormRefusal.Expired : FormRefusal.None;
    }

    /// <summary>
    /// The browser says where a post comes from: <c>Sec-Fetch-Site</c> must be same-origin, and <c>Origin</c> must name this
    /// host (its authority; the scheme is the front end's business on Azure). A client that sends neither, such as a
    /// script with the token, is judged by the token alone.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        string? site = request.Headers["Sec-Fetch-Site"];
        if (site is not null && site is not ("same-origin" or "none"))
            return false;
        string? origin = request.Headers.Origin;
        if (origin is null)
            return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out Uri? parsed)
            && string.Equals(parsed.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Mac(byte[] key, string user, string expires) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{user}\n{expires}"));
}
