using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Staff;

namespace Supervision.Security;

/// <summary>Which Entra ID app-role values are which staff role (<c>Supervision:Staff:AppRoles</c>).</summary>
public sealed class StaffSignInOptions
{
    public const string Section = "Supervision:Staff";

    /// <summary>
    /// App-role value (as the token's <c>roles</c> claim carries it) to staff role name. Unset, the values are the role
    /// names themselves: <c>procurement</c>, <c>supervisor</c>, <c>auditor</c>.
    /// </summary>
    public Dictionary<string, string> AppRoles { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Reads the identity App Service Authentication (Easy Auth) puts in <c>X-MS-CLIENT-PRINCIPAL</c> after it has validated
/// an Entra ID token: a signed-in person, or a system calling app-to-app with a client-credentials token (named
/// <c>app:{appid}</c>). Roles are the token's app roles, mapped by <see cref="StaffSignInOptions"/>.
/// <para>
/// The header is trusted only when the platform says authentication is on (<see cref="PlatformSetting"/>, which App
/// Service sets itself): only then does the platform strip the header from what callers send. Otherwise every staff
/// route is refused, so an app deployed without authentication fails closed instead of believing a forged header.
/// </para>
/// </summary>
public sealed class AppServiceAuthentication : IStaffIdentitySource
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>App Service sets this to <c>True</c> when App Service Authentication is enabled on the app.</summary>
    public const string PlatformSetting = "WEBSITE_AUTH_ENABLED";

    private const string RolesClaim = "roles";

    private readonly bool platformAuthenticates;
    private readonly Dictionary<string, StaffRole> appRoles;

    public AppServiceAuthentication(IConfiguration configuration, IOptions<StaffSignInOptions> options, ILogger<AppServiceAuthentication> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        platformAuthenticates = string.Equals(configuration[PlatformSetting], "True", StringComparison.OrdinalIgnoreCase);
        if (!platformAuthenticates)
        {
            logger.LogError(
                "App Service Authentication is not enabled ({Setting} is not True): every staff route answers 401 until it is. Deploy with infra/ (authsettingsV2)",
                PlatformSetting);
        }

        appRoles = Map(options.Value.AppRoles);
    }

    public StaffUser? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? encoded = request.Headers[PrincipalHeader];
        if (!platformAuthenticates || string.IsNullOrEmpty(encoded))
            return null;
        try
        {
            using JsonDocument principal = JsonDocument.Parse(Convert.FromBase64String(encoded));
            JsonElement root = principal.RootElement;
            string nameType = root.TryGetProperty("name_typ", out JsonElement n) ? n.GetString() ?? string.Empty : string.Empty;
            string roleType = root.TryGetProperty("role_typ", out JsonElement r) ? r.GetString() ?? RolesClaim : RolesClaim;
            string? name = null;
            string? application = null;
            var roles = new HashSet<StaffRole>();
            foreach (JsonElement claim in root.GetProperty("claims").EnumerateArray())
            {
                string type = claim.GetProperty("typ").GetString() ?? string.Empty;
                string value = claim.GetProperty("val").GetString() ?? string.Empty;
                if (type == nameType || (name is null && type is "preferred_username" or "name"))
                    name = value;
                if (type is "appid" or "azp")
                    application = value;
                if ((type == roleType || type == RolesClaim) && appRoles.TryGetValue(value, out StaffRole role))
                    roles.Add(role);
            }

            name ??= application is null ? null : $"app:{application}";
            return string.IsNullOrWhiteSpace(name) ? null : new StaffUser(name, roles);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static Dictionary<string, StaffRole> Map(Dictionary<string, string> configured)
    {
        var map = new Dictionary<string, StaffRole>(StringComparer.OrdinalIgnoreCase);
        if (configured.Count == 0)
        {
            foreach (StaffRole role in Enum.GetValues<StaffRole>())
                map[role.ToString()] = role;
            return map;
        }

        foreach ((string appRole, string staffRole) in configured)
        {
            map[appRole] = StaffRoles.TryParse(staffRole, out StaffRole role)
                ? role
                : throw new InvalidOperationException($"{StaffSignInOptions.Section}:AppRoles:{appRole} names '{staffRole}', which is no staff role.");
        }

        return map;
    }
}
