namespace Supervision.Domain.Staff;

/// <summary>The principal's staff as the product knows them (DOMAIN "Actors").</summary>
public enum StaffRole
{
    /// <summary>Starts onboarding and records handovers.</summary>
    Procurement,

    /// <summary>The privacy officer: reviews, approves, rejects.</summary>
    Supervisor,

    /// <summary>Reads everything, changes nothing.</summary>
    Auditor,
}

public static class StaffRoles
{
    /// <summary>Everyone on the staff side may read an engagement.</summary>
    public static IReadOnlyList<StaffRole> Readers { get; } = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor];

    public static bool TryParse(string? value, out StaffRole role) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out role) && Enum.IsDefined(role);

    /// <summary>An auditor can never be granted a change, whatever a route declares.</summary>
    public static bool MayChange(StaffRole role) => role != StaffRole.Auditor;
}
