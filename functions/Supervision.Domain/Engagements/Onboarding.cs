using System.Text.Json.Serialization;
using Supervision.Domain.Common;

namespace Supervision.Domain.Engagements;

/// <summary>
/// A validated request from procurement to start onboarding a contractor (DOMAIN §1). <see cref="Supervisor"/> is the
/// supervisor named at onboarding; it is left out of the JSON when none was, so a request recorded before it existed
/// reads, and hashes, as it did.
/// </summary>
public sealed record OnboardingRequest(
    Contractor Contractor,
    ContactPerson Contact,
    string Purpose,
    IReadOnlyList<Dataset> Datasets,
    DateOnly PlannedStart,
    DateOnly PlannedEnd,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Supervisor = null)
{
    public bool HandlesSensitiveData => Datasets.Any(dataset => dataset.IsSensitive);

    public long TotalRecords => Datasets.Sum(dataset => (long)dataset.RecordCount);
}

public sealed record Contractor(string Name, string? CorporateNumber);

/// <summary>The contractor's responsible person (2-4), reached only by e-mail and signed links.</summary>
public sealed record ContactPerson(string Name, string Email, Language PreferredLanguage);

/// <summary>
/// Personal data to be handed over. <see cref="IsSensitive"/> is 要配慮個人情報; <see cref="LeakCausesSecondaryDamage"/>
/// marks data whose leak could cause secondary damage (2-4), such as account or card numbers.
/// </summary>
public sealed record Dataset(string Name, IReadOnlyList<string> Items, int RecordCount, bool IsSensitive, bool LeakCausesSecondaryDamage);
