using Supervision.Domain.Contracts;

namespace Supervision.Domain.Tests.Contracts;

public sealed class HandoverGateTests
{
    private const string EvidenceId = "ev-7f3a";

    private static HashSet<ContractClause> AllClauses() => [.. ContractClauses.All];

    private static string[] Codes(GateResult result) => [.. result.Missing.Select(gap => gap.Code)];

    [Fact]
    public void Gate_Opens_WhenTheContractIsComplete()
    {
        GateResult result = HandoverGate.Check(AllClauses(), HandoverTermsTests.CompleteTerms(), true, EvidenceId);

        Assert.True(result.IsOpen);
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void Gate_NamesEverythingMissing_WhenNothingIsDone()
    {
        GateResult result = HandoverGate.Check(new HashSet<ContractClause>(), null, false, null);

        Assert.False(result.IsOpen);
        Assert.Equal(
            [
                "clause:NoUseBeyondPurpose", "clause:NoThirdPartyProvision", "clause:ResponsibilitiesOfBothSides",
                "clause:SafetyManagementMeasures", "clause:Subcontracting", "clause:Confidentiality", "clause:StaffTraining",
                "clause:ReportContentAndFrequency", "clause:ComplianceVerification", "clause:MeasuresOnNonCompliance",
                "clause:LeakReporting", "handover-terms", "responsibility-split", "signed-contract",
            ],
            Codes(result));
    }

    [Theory]
    [MemberData(nameof(EachClause))]
    public void Qa_2_1_Gate_StaysClosed_UntilEveryClauseIsConfirmed(ContractClause unconfirmed)
    {
        HashSet<ContractClause> confirmed = AllClauses();
        confirmed.Remove(unconfirmed);

        GateResult result = HandoverGate.Check(confirmed, HandoverTermsTests.CompleteTerms(), true, EvidenceId);

        Assert.False(result.IsOpen);
        GateGap gap = Assert.Single(result.Missing);
        Assert.Equal($"clause:{unconfirmed}", gap.Code);
        Assert.Contains(unconfirmed.TitleJa(), gap.Description, StringComparison.Ordinal);
    }

    public static TheoryData<ContractClause> EachClause() => [.. Enum.GetValues<ContractClause>()];

    [Theory]
    [InlineData(ContractClause.SafetyManagementMeasures)]
    [InlineData(ContractClause.Confidentiality)]
    [InlineData(ContractClause.Subcontracting)]
    public void Qa_1_1_NoDataIsHandedOver_UntilTheContractCarriesSafetyMeasures_Confidentiality_AndSubcontractingConditions(ContractClause clause)
    {
        // 1-1: choose a contractor that handles data properly, bind it by a contract with these terms, then supervise.
        HashSet<ContractClause> confirmed = AllClauses();
        confirmed.Remove(clause);

        Assert.False(HandoverGate.Check(confirmed, HandoverTermsTests.CompleteTerms(), true, EvidenceId).IsOpen);
        Assert.True(HandoverGate.Check(AllClauses(), HandoverTermsTests.CompleteTerms(), true, EvidenceId).IsOpen);
    }

    [Fact]
    public void Qa_2_1_MissingClause_IsNamedInBothLanguages()
    {
        HashSet<ContractClause> confirmed = AllClauses();
        confirmed.Remove(ContractClause.LeakReporting);

        GateResult result = HandoverGate.Check(confirmed, HandoverTermsTests.CompleteTerms(), true, EvidenceId);

        Assert.Equal(
            "clause not confirmed (2-1): 個人情報の漏えい等が発生した場合の報告及び連絡に関する事項 / Reporting and contact when a leak or similar incident occurs",
            Assert.Single(result.Missing).Description);
    }

    [Fact]
    public void Qa_2_2_Gate_StaysClosed_UntilTheContractorAgreesTheResponsibilitySplit()
    {
        GateResult result = HandoverGate.Check(AllClauses(), HandoverTermsTests.CompleteTerms(), false, EvidenceId);

        Assert.False(result.IsOpen);
        Assert.Equal(new GateGap("responsibility-split", "responsibility split not agreed (2-2)"), Assert.Single(result.Missing));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Gate_StaysClosed_UntilTheSignedContractIsUploaded(string? evidenceId)
    {
        GateResult result = HandoverGate.Check(AllClauses(), HandoverTermsTests.CompleteTerms(), true, evidenceId);

        Assert.False(result.IsOpen);
        Assert.Equal(new GateGap("signed-contract", "signed contract not uploaded"), Assert.Single(result.Missing));
    }

    [Fact]
    public void Qa_2_4_Gate_StaysClosed_WithoutHandoverTerms()
    {
        GateResult result = HandoverGate.Check(AllClauses(), null, true, EvidenceId);

        Assert.Equal(["handover-terms"], Codes(result));
    }

    [Fact]
    public void Qa_2_4_Gate_NamesEachIncompleteHandoverTerm()
    {
        HandoverTerms terms = HandoverTermsTests.CompleteTerms() with { TransferMethod = null, PrincipalMayAudit = false };

        GateResult result = HandoverGate.Check(AllClauses(), terms, true, EvidenceId);

        Assert.False(result.IsOpen);
        Assert.Equal(["terms:principalMayAudit", "terms:transferMethod"], Codes(result).Order(StringComparer.Ordinal));
        Assert.All(result.Missing, gap => Assert.StartsWith("handover term ", gap.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_Throws_WhenClausesAreNull()
    {
        Assert.Throws<ArgumentNullException>(() => HandoverGate.Check(null!, null, true, EvidenceId));
    }

    [Fact]
    public void Qa_2_2_EachMissingItem_IsOwedByThePartyThatMustAct()
    {
        GateResult gate = HandoverGate.Check(new HashSet<ContractClause>(), null, false, null);

        Dictionary<string, ContractParty> owed = gate.Missing.ToDictionary(gap => gap.Code, HandoverGate.OwedBy);

        Assert.Equal(ContractParty.Contractor, owed[HandoverGate.ResponsibilitySplitCode]);
        Assert.Equal(ContractParty.Contractor, owed[HandoverGate.SignedContractCode]);
        Assert.Equal(ContractParty.Procurement, owed[HandoverGate.HandoverTermsCode]);
        Assert.All(ContractClauses.All, clause => Assert.Equal(ContractParty.Supervisor, owed[HandoverGate.ClauseCode(clause)]));
        Assert.Equal(ContractParty.Procurement, HandoverGate.OwedBy(new GateGap(HandoverGate.TermCode("transferMethod"), "missing")));
    }
}
