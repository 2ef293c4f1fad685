using Supervision.Domain.Common;

namespace Supervision.Domain.Engagements;

/// <summary>What an assignment of the engagement's supervisor does to the engagement.</summary>
public enum SupervisorChange
{
    /// <summary>The engagement had no supervisor: it gets one.</summary>
    Assigned,

    /// <summary>Another staff user supervises the engagement from now on.</summary>
    Reassigned,

    /// <summary>The same user again (in any case): nothing changes, so a repeated request writes nothing.</summary>
    Unchanged,
}

/// <summary>
/// The staff user who supervises an engagement (1-6: supervise continuously), named as the identity names staff: the
/// development sign-in's user, or on Azure the Entra ID name (a UPN such as <c>sato@example.co.jp</c>). The portfolio
/// is filtered by it, so one name is one supervisor whatever its case.
/// </summary>
public static class Supervisors
{
    /// <summary>A user principal name is at most 113 characters in Entra ID; a little room for other identity sources.</summary>
    public const int MaxNameLength = 256;

    /// <summary>In a portfolio filter, the caller; never a supervisor's name, so no stored name can be it.</summary>
    public const string Me = "me";

    /// <summary>A supervisor's name as given in <paramref name="field"/>: one line, at most <see cref="MaxNameLength"/>, not <see cref="Me"/>.</summary>
    public static void Validate(string field, string? name, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.RequiredLine(field, name, MaxNameLength);
        if (IsMe(name))
            errors.Add(field, $"must name the supervisor as they sign in; \"{Me}\" is reserved for the portfolio's filter.");
    }

    /// <summary>The name as stored: trimmed of the white space around it.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim();
    }

    /// <summary>The key one supervisor is found by, whatever case their name was written in.</summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant();
    }

    /// <summary>Do the two names name the same user (case and surrounding white space are not significant)?</summary>
    public static bool SameUser(string? first, string? second) =>
        first is not null && second is not null && Key(first) == Key(second);

    /// <summary>What assigning <paramref name="requested"/> does to an engagement supervised by <paramref name="current"/> (null for none).</summary>
    public static SupervisorChange Decide(string? current, string requested) =>
        current is null ? SupervisorChange.Assigned
        : SameUser(current, requested) ? SupervisorChange.Unchanged
        : SupervisorChange.Reassigned;

    /// <summary>The supervisor a portfolio filter asks for: <see cref="Me"/> is the caller, any other value the name as given.</summary>
    public static string Filtered(string value, string caller)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(caller);
        return IsMe(value) ? caller : Normalize(value);
    }

    private static bool IsMe(string? name) => string.Equals(name?.Trim(), Me, StringComparison.OrdinalIgnoreCase);
}
