using Microsoft.AspNetCore.Http;
using Supervision.Domain.Staff;

namespace Supervision.Security;

/// <summary>
/// The local host's stand-in for Entra ID: <c>X-Dev-User: hanako</c> and <c>X-Dev-Roles: supervisor,auditor</c>.
/// Only the local host registers it; the Functions app trusts App Service Authentication alone.
/// </summary>
public sealed class DevelopmentSignIn : IStaffIdentitySource
{
    public const string UserHeader = "X-Dev-User";
    public const string RolesHeader = "X-Dev-Roles";

    public StaffUser? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? name = request.Headers[UserHeader];
        if (string.IsNullOrWhiteSpace(name))
            return null;
        var roles = new HashSet<StaffRole>();
        foreach (string part in request.Headers[RolesHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (StaffRoles.TryParse(part, out StaffRole role))
                roles.Add(role);
        }

        return new StaffUser(name.Trim(), roles);
    }
}
