namespace Supervision.Domain.Engagements;

/// <summary>
/// An onboarding request as a client sent it, before validation: every field may be missing.
/// <see cref="OnboardingRules.Validate"/> turns it into an <see cref="OnboardingRequest"/> or names every bad field.
/// </summary>
public sealed record OnboardingDraft
{
    public ContractorDraft? Contractor { get; init; }

    public ContactDraft? Contact { get; init; }

    public string? Purpose { get; init; }

    public IReadOnlyList<DatasetDraft?>? Datasets { get; init; }

    public DateOnly? PlannedStart { get; init; }

    public DateOnly? PlannedEnd { get; init; }

    /// <summary>The staff user who will supervise the engagement (optional: assigned later otherwise).</summary>
    public string? Supervisor { get; init; }
}

public sealed record ContractorDraft
{
    public string? Name { get; init; }

    public string? CorporateNumber { get; init; }
}

public sealed record ContactDraft
{
    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? PreferredLanguage { get; init; }
}

public sealed record DatasetDraft
{
    public string? Name { get; init; }

    public IReadOnlyList<string?>? Items { get; init; }

    public int? RecordCount { get; init; }

    public bool? IsSensitive { get; init; }

    public bool? LeakCausesSecondaryDamage { get; init; }
}
