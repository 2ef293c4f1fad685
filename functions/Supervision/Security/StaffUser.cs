using Supervision.Domain.Staff;

namespace Supervision.Security;

/// <summary>A signed-in member of staff: a name for the audit trail and the roles Entra ID granted.</summary>
public sealed record StaffUser(string Name, IReadOnlySet<StaffRole> Roles);

/// <summary>Where a request's staff identity comes from: App Service Authentication on Azure, the development sign-in locally.</summary>
public interface IStaffIdentitySource
{
    StaffUser? Resolve(Microsoft.AspNetCore.Http.HttpRequest request);
}
