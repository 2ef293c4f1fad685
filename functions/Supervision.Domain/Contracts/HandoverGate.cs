namespace Supervision.Domain.Contracts;

/// <summary>One thing still missing before data may be handed over: a stable code and a description naming it.</summary>
public sealed record GateGap(string Code, string Description);

/// <summary>Who owes a missing item: the contractor through its link, a supervisor confirming clauses, procurement recording terms.</summary>
public enum ContractParty
{
    Contractor,
    Supervisor,
    Procurement,
}

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

    /// <summary>The party that must act for <paramref name="gap"/> to close.</summary>
    public static ContractParty OwedBy(GateGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        if (gap.Code is ResponsibilitySplitCode or SignedContractCode)
            return ContractParty.Contractor;
        return gap.Code.StartsWith("clause:", StringComparison.Ordinal) ? ContractParty.Supervisor : ContractParty.Procurement;
    }

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
