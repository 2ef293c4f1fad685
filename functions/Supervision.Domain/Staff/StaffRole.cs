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

    /// <summary>A role by its name only: <c>Enum.TryParse</c> alone would also take "1" for <see cref="StaffRole.Supervisor"/>.</summary>
    public static bool TryParse(string? value, out StaffRole role)
    {
        role = default;
        string? name = value?.Trim();
        return Enum.GetNames<StaffRole>().Contains(name, StringComparer.OrdinalIgnoreCase)
            && Enum.TryParse(name, ignoreCase: true, out role);
    }

    /// <summary>An auditor can never be granted a change, whatever a route declares.</summary>
    public static bool MayChange(StaffRole role) => role != StaffRole.Auditor;
}
