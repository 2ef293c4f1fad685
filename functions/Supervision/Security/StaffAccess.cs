using Microsoft.AspNetCore.Http;
using Supervision.Domain.Staff;

namespace Supervision.Security;

/// <summary>The outcome of a staff access check: the user, or the 401/403 problem to answer with.</summary>
public readonly record struct StaffAccessResult(StaffUser? User, IResult? Denied);

/// <summary>
/// Every staff handler starts here and declares who may call it. No identity → 401; none of the roles → 403.
/// A route that changes something never admits an auditor, whatever it declares.
/// </summary>
public sealed class StaffAccess(IStaffIdentitySource identities)
{
    /// <summary>Whether staff sign in through the local host's development sign-in (which every staff page must say).</summary>
    public bool IsDevelopmentSignIn => identities is DevelopmentSignIn;

    public StaffAccessResult ToRead(HttpRequest request, IReadOnlyCollection<StaffRole> roles) => Check(request, roles, changes: false);

    public StaffAccessResult ToChange(HttpRequest request, IReadOnlyCollection<StaffRole> roles) => Check(request, roles, changes: true);

    private StaffAccessResult Check(HttpRequest request, IReadOnlyCollection<StaffRole> roles, bool changes)
    {
        StaffUser? user = identities.Resolve(request);
        if (user is null)
        {
            return new(null, TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Sign in first.",
                detail: "This endpoint is for the principal's staff, signed in with Entra ID."));
        }

        bool allowed = user.Roles.Any(role => roles.Contains(role) && (!changes || StaffRoles.MayChange(role)));
        return allowed
            ? new(user, null)
            : new(user, TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Your role does not allow this.",
                detail: $"Allowed: {string.Join(", ", roles.Where(role => !changes || StaffRoles.MayChange(role)).Select(role => role.ToString().ToLowerInvariant()))}."));
    }
}
