using System.Text;
using Microsoft.AspNetCore.Http;
using Supervision.Domain.Staff;
using Supervision.Http;

namespace Supervision.Security;

/// <summary>
/// <c>/dev/sign-in</c>, on the local host only: a person at the browser picks a name and roles, and the development
/// sign-in's cookie carries them from then on. It stands in for Entra ID's sign-in page, and, like every staff page of
/// the local host, says so. A post from another site's page is refused (its <c>Origin</c>), and the cookie is SameSite=Strict.
/// </summary>
public sealed class DevelopmentSignInPage(LiquidPages pages)
{
    public const string Route = "dev/sign-in";

    /// <summary>The tag of routes only the local host has, which the Functions app and the OpenAPI document leave out.</summary>
    public const string LocalOnlyTag = "local-only";

    private const int MaxNameLength = 100;

    public async Task<IResult> GetAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await RenderAsync(request, error: null, StatusCodes.Status200OK);
    }

    public async Task<IResult> PostAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!StaffFormGuard.IsSameOrigin(request))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The form was not accepted.", detail: "It was not sent from this site's own page.");
        (IFormCollection? form, IResult? unreadable) = await FormPosts.ReadAsync(request, cancellationToken);
        if (unreadable is not null)
            return unreadable;

        string name = form!["user"].ToString().Trim();
        string[] roles = [.. form["roles"].Select(role => role ?? string.Empty).Where(role => StaffRoles.TryParse(role, out _))];
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl) || roles.Length == 0)
            return await RenderAsync(request, "Give a name (1 to 100 characters) and at least one role. / 名前（1〜100文字）と役割を1つ以上選んでください。", StatusCodes.Status400BadRequest);

        request.HttpContext.Response.Cookies.Append(DevelopmentSignIn.Cookie, $"{name}|{string.Join(',', roles)}", new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
        return FormPosts.SeeOther("/staff/my-work");
    }

    private async Task<IResult> RenderAsync(HttpRequest request, string? error, int status)
    {
        string nonce = PageHeaders.ApplyToStaffPage(request.HttpContext.Response);
        string html = await pages.RenderAsync("dev-sign-in", new { nonce, error, roles = Enum.GetNames<StaffRole>().Select(role => role.ToLowerInvariant()).ToList() });
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
