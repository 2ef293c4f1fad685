using Microsoft.AspNetCore.Http;
using Supervision.Domain.Staff;

namespace Supervision.Security;

/// <summary>
/// The local host's stand-in for Entra ID: <c>X-Dev-User: hanako</c> and <c>X-Dev-Roles: supervisor,auditor</c> from a
/// script, or, from a browser, the cookie the local sign-in page (<see cref="DevelopmentSignInPage"/>) sets. Only the
/// local host registers it; the Functions app trusts App Service Authentication alone.
/// </summary>
public sealed class DevelopmentSignIn : IStaffIdentitySource
{
    public const string UserHeader = "X-Dev-User";
    public const string RolesHeader = "X-Dev-Roles";

    /// <summary>The browser's sign-in: <c>{user}|{role},{role}</c>, HttpOnly and SameSite=Strict, so no other site's page sends it.</summary>
    public const string Cookie = "supervision-dev-sign-in";

    public StaffUser? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? name = request.Headers[UserHeader];
        string roles = request.Headers[RolesHeader].ToString();
        if (string.IsNullOrWhiteSpace(name) && request.Cookies[Cookie] is { } cookie && cookie.LastIndexOf('|') is > 0 and int bar)
            (name, roles) = (cookie[..bar], cookie[(bar + 1)..]);
        return string.IsNullOrWhiteSpace(name) ? null : new StaffUser(name.Trim(), Roles(roles));
    }

    public static IReadOnlySet<StaffRole> Roles(string names)
    {
        var roles = new HashSet<StaffRole>();
        foreach (string part in (names ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (StaffRoles.TryParse(part, out StaffRole role))
                roles.Add(role);
        }

        return roles;
    }
}
