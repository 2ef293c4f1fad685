using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Supervision.Domain.Staff;

namespace Supervision.Security;

/// <summary>
/// Reads the identity App Service Authentication (Easy Auth) puts in <c>X-MS-CLIENT-PRINCIPAL</c> after it has
/// signed the user in with Entra ID; the platform strips the header from incoming requests, so it cannot be forged
/// from outside. Roles are the Entra ID app roles (<c>procurement</c>, <c>supervisor</c>, <c>auditor</c>).
/// </summary>
public sealed class AppServiceAuthentication : IStaffIdentitySource
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    public StaffUser? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? encoded = request.Headers[PrincipalHeader];
        if (string.IsNullOrEmpty(encoded))
            return null;
        try
        {
            using JsonDocument principal = JsonDocument.Parse(Convert.FromBase64String(encoded));
            JsonElement root = principal.RootElement;
            string nameType = root.TryGetProperty("name_typ", out JsonElement n) ? n.GetString() ?? string.Empty : string.Empty;
            string roleType = root.TryGetProperty("role_typ", out JsonElement r) ? r.GetString() ?? "roles" : "roles";
            string? name = null;
            var roles = new HashSet<StaffRole>();
            foreach (JsonElement claim in root.GetProperty("claims").EnumerateArray())
            {
                string type = claim.GetProperty("typ").GetString() ?? string.Empty;
                string value = claim.GetProperty("val").GetString() ?? string.Empty;
                if (type == nameType || (name is null && type is "preferred_username" or "name"))
                    name = value;
                if ((type == roleType || type == "roles") && StaffRoles.TryParse(value, out StaffRole role))
                    roles.Add(role);
            }

            return name is null ? null : new StaffUser(name, roles);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
