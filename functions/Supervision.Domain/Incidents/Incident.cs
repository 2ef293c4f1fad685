using Supervision.Domain.Common;

namespace Supervision.Domain.Incidents;

/// <summary>What happened to the data (6-1: 漏えい、滅失、毀損, and misdelivery, the commonest).</summary>
public enum IncidentKind
{
    Leak,
    Loss,
    Damage,
    Misdelivery,
}

/// <summary>
/// The facts of an incident as reported: what, when it happened and when the reporter learned of it, which data and how
/// many people, where in the chain (a tier, or a carrier named only by name), and what decides reportability.
/// </summary>
public sealed record IncidentFacts(
    IncidentKind Kind,
    string Description,
    DateTimeOffset HappenedAt,
    DateTimeOffset ReporterLearnedAt,
    IReadOnlyList<string> DataItems,
    int PeopleAffected,
    string Tier,
    string? Carrier,
    bool SensitiveData,
    bool FinancialDamagePossible,
    bool WrongfulPurposePossible,
    bool StronglyEncrypted,
    bool SecrecyOfCommunications,
    string? HeldForClient = null);

/// <summary>An incident report as a client sent it: every member may be missing, so each missing one is named.</summary>
public sealed record IncidentDraft
{
    public IncidentKind? Kind { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset? HappenedAt { get; init; }

    public DateTimeOffset? LearnedAt { get; init; }

    public IReadOnlyList<string?>? DataItems { get; init; }

    public int? PeopleAffected { get; init; }

    /// <summary><c>contractor</c> (the default) or a subcontractor's tier id: where in the chain it happened.</summary>
    public string? Tier { get; init; }

    /// <summary>A carrier that is no engagement of ours (the postal service, a courier), by name only (6-1).</summary>
    public string? Carrier { get; init; }

    public bool? SensitiveData { get; init; }

    public bool? FinancialDamagePossible { get; init; }

    public bool? WrongfulPurposePossible { get; init; }

    public bool? StronglyEncrypted { get; init; }

    public bool? SecrecyOfCommunications { get; init; }

    /// <summary>7-1: the business whose data we hold as its contractor, when it is not our own customers' data.</summary>
    public string? HeldForClient { get; init; }
}

public static class IncidentRules
{
    public const int MaxDescriptionLength = 4_000;
    public const int MaxNameLength = 200;

    /// <summary>More people than any principal's whole customer base: a count above it is a typing error, not an incident.</summary>
    public const int MaxPeopleAffected = 200_000_000;

    /// <summary>
    /// Every fact present and plausible: nothing happened in the future or was learned before it happened; the count is
    /// of people, at least one; the items are the contract's (<paramref name="contractItems"/>), named when they are not.
    /// </summary>
    public static ValidationErrors Read(IncidentDraft draft, IReadOnlyCollection<string> contractItems, DateTimeOffset now, out IncidentFacts? facts)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(contractItems);
        var errors = new ValidationErrors();
        if (draft.Kind is null)
            errors.Add("kind", "is required: leak, loss, damage or misdelivery.");
        errors.Required("description", draft.Description, MaxDescriptionLength);
        if (draft.HappenedAt is null)
            errors.Add("happenedAt", "is required (an instant with its offset, e.g. 2027-03-01T10:00:00+09:00).");
        else if (draft.HappenedAt > now)
            errors.Add("happenedAt", "must not be in the future.");
        if (draft.LearnedAt is null)
            errors.Add("learnedAt", "is required: when the reporter learned of it.");
        else if (draft.LearnedAt > now)
            errors.Add("learnedAt", "must not be in the future.");
        else if (draft.HappenedAt is { } happened && happened <= now && draft.LearnedAt < happened)
            errors.Add("learnedAt", "must not be before happenedAt.");

        string[] items = [];
        if (draft.DataItems is not { Count: > 0 })
            errors.Add("dataItems", "must name the data items involved.");
        else if (draft.DataItems.Any(string.IsNullOrWhiteSpace))
            errors.Add("dataItems", "every item must be named.");
        else
        {
            items = [.. draft.DataItems.Select(item => item!.Trim()).Distinct(StringComparer.Ordinal)];
            string[] unknown = [.. items.Where(item => !contractItems.Contains(item))];
            if (unknown.Length > 0)
                errors.Add("dataItems", $"not among the data items of the contract: {string.Join(", ", unknown)}.");
        }

        if (draft.PeopleAffected is null)
            errors.Add("peopleAffected", "is required: the number of people whose data is involved.");
        else
            errors.Range("peopleAffected", draft.PeopleAffected.Value, 1, MaxPeopleAffected);
        if (draft.Carrier is not null)
            errors.RequiredLine("carrier", draft.Carrier, MaxNameLength);
        if (draft.HeldForClient is not null)
            errors.RequiredLine("heldForClient", draft.HeldForClient, MaxNameLength);
        Required(errors, "sensitiveData", draft.SensitiveData, "whether sensitive personal data (要配慮個人情報) is involved");
        Required(errors, "financialDamagePossible", draft.FinancialDamagePossible, "whether financial damage may follow");
        Required(errors, "wrongfulPurposePossible", draft.WrongfulPurposePossible, "whether it may have been done with a wrongful purpose (unauthorised access, an insider taking data out)");
        Required(errors, "stronglyEncrypted", draft.StronglyEncrypted, "whether the data was protected by strong encryption");

        facts = errors.IsEmpty
            ? new IncidentFacts(
                draft.Kind!.Value,
                draft.Description!.Trim(),
                draft.HappenedAt!.Value,
                draft.LearnedAt!.Value,
                items,
                draft.PeopleAffected!.Value,
                string.IsNullOrWhiteSpace(draft.Tier) ? "contractor" : draft.Tier.Trim(),
                draft.Carrier?.Trim(),
                draft.SensitiveData!.Value,
                draft.FinancialDamagePossible!.Value,
                draft.WrongfulPurposePossible!.Value,
                draft.StronglyEncrypted!.Value,
                draft.SecrecyOfCommunications ?? false,
                draft.HeldForClient?.Trim())
            : null;
        return errors;
    }

    /// <summary>
    /// 6-3: the contract sets how soon the contractor must tell the principal; told later than that after it learned, the
    /// notice was late — a finding in itself, whatever the incident.
    /// </summary>
    public static bool NoticeWasLate(DateTimeOffset reporterLearnedAt, DateTimeOffset principalLearnedAt, int notifyWithinHours) =>
        principalLearnedAt - reporterLearnedAt > TimeSpan.FromHours(notifyWithinHours);

    private static void Required(ValidationErrors errors, string field, bool? value, string what)
    {
        if (value is null)
            errors.Add(field, $"is required: {what} (true or false).");
    }
}

/// <summary>
/// 6-2: one leak that touches several principals (a shop selling for several operators) gets one voice to the customer:
/// who the other principals are, which party contacts the people affected, and the single contact point.
/// </summary>
public sealed record IncidentCoordination(IReadOnlyList<string> OtherPrincipals, string ContactingParty, string ContactPoint);

public sealed record IncidentCoordinationDraft
{
    public IReadOnlyList<string?>? OtherPrincipals { get; init; }

    public string? ContactingParty { get; init; }

    public string? ContactPoint { get; init; }
}

public static class IncidentCoordinationRules
{
    public const int MaxPrincipals = 50;

    public static ValidationErrors Read(IncidentCoordinationDraft draft, out IncidentCoordination? coordination)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new ValidationErrors();
        if (draft.OtherPrincipals is not { Count: > 0 })
            errors.Add("otherPrincipals", "must name the other principals whose customers the leak touches.");
        else if (draft.OtherPrincipals.Count > MaxPrincipals)
            errors.Add("otherPrincipals", $"must list at most {MaxPrincipals}.");
        else
        {
            for (int i = 0; i < draft.OtherPrincipals.Count; i++)
                errors.RequiredLine($"otherPrincipals[{i}]", draft.OtherPrincipals[i], IncidentRules.MaxNameLength);
        }

        errors.RequiredLine("contactingParty", draft.ContactingParty, IncidentRules.MaxNameLength);
        errors.RequiredLine("contactPoint", draft.ContactPoint, IncidentRules.MaxNameLength);
        coordination = errors.IsEmpty
            ? new IncidentCoordination([.. draft.OtherPrincipals!.Select(name => name!.Trim()).Distinct(StringComparer.Ordinal)], draft.ContactingParty!.Trim(), draft.ContactPoint!.Trim())
            : null;
        return errors;
    }
}
