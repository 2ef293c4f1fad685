namespace Supervision.Domain.Contracts;

/// <summary>One thing still missing before data may be handed over: a stable code and a description naming it.</summary>
public sealed record GateGap(string Code, string Description);

/// <summary>Whether data may leave the principal, and, when not, every reason.</summary>
public sealed record GateResult(IReadOnlyList<GateGap> Missing)
{
    public bool IsOpen => Missing.Count == 0;
}

/// <summary>
/// No data is handed over before a complete contract exists (DOMAIN §2–3): every clause of 2-1 confirmed, the handover
/// terms of 2-4 complete, the split of responsibility agreed by the contractor rather than imposed (2-2), and the signed
/// contract uploaded as evidence.
/// </summary>
public static class HandoverGate
{
    public const string ResponsibilitySplitCode = "responsibility-split";
    public const string SignedContractCode = "signed-contract";
    public const string HandoverTermsCode = "handover-terms";

    /// <summary>The code of a missing clause: <c>clause:NoUseBeyondPurpose</c>.</summary>
    public static string ClauseCode(ContractClause clause) => $"clause:{clause}";

    /// <summary>The code of a missing or unacceptable handover term: <c>terms:transferMethod</c>.</summary>
    public static string TermCode(string field) => $"terms:{field}";

    public static GateResult Check(
        IReadOnlySet<ContractClause> confirmedClauses,
        HandoverTerms? terms,
        bool responsibilitySplitAgreedByContractor,
        string? signedContractEvidenceId)
    {
        ArgumentNullException.ThrowIfNull(confirmedClauses);
        var missing = new List<GateGap>();
        foreach (ContractClause clause in ClauseChecklist.Missing(confirmedClauses))
            missing.Add(new GateGap(ClauseCode(clause), $"clause not confirmed (2-1): {clause.TitleJa()} / {clause.TitleEn()}"));

        if (terms is null)
        {
            missing.Add(new GateGap(HandoverTermsCode, "handover terms not agreed (2-4)"));
        }
        else
        {
            foreach ((string field, string[] messages) in HandoverTermsRules.Validate(terms).ToDictionary())
                missing.Add(new GateGap(TermCode(field), $"handover term {field}: {string.Join(" ", messages)}"));
        }

        if (!responsibilitySplitAgreedByContractor)
            missing.Add(new GateGap(ResponsibilitySplitCode, "responsibility split not agreed (2-2)"));
        if (string.IsNullOrWhiteSpace(signedContractEvidenceId))
            missing.Add(new GateGap(SignedContractCode, "signed contract not uploaded"));
        return new GateResult(missing);
    }
}
