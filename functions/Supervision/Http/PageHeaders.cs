using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Supervision.Http;

/// <summary>The headers every HTML page of the product is served with.</summary>
public static class PageHeaders
{
    /// <summary>
    /// Sets a Content-Security-Policy that runs only the page's own inline style and script (by a fresh nonce), lets it
    /// call back to this app and to <paramref name="connectSource"/> (the uploads container, a CSP source), and forbids
    /// framing; no sniffing, no caching (a link's page holds a contractor's answers), no referrer. Answers the nonce the
    /// page's <c>style</c> and <c>script</c> elements must carry.
    /// </summary>
    public static string Apply(HttpResponse response, string? connectSource = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string connect = connectSource is null ? "'self'" : $"'self' {connectSource}";
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src {connect}; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return nonce;
    }

    /// <summary>
    /// <see cref="Apply"/> for a staff page that posts forms: the referrer goes to this site only (never to another),
    /// because under <c>no-referrer</c> a browser sends <c>Origin: null</c> with every form post, and the forms' forgery
    /// check needs the page's real origin.
    /// </summary>
    public static string ApplyToStaffPage(HttpResponse response)
    {
        string nonce = Apply(response);
        response.Headers["Referrer-Policy"] = "same-origin";
        return nonce;
    }
}
