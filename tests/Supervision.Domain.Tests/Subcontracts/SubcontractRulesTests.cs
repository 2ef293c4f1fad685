using Supervision.Domain.Contracts;
using Supervision.Domain.Subcontracts;

namespace Supervision.Domain.Tests.Subcontracts;

public sealed class SubcontractRulesTests
{
    private static readonly IReadOnlySet<string> Held = new HashSet<string>(StringComparer.Ordinal) { "name", "address", "phone" };

    private static ParentTier Contractor(SubcontractPolicy policy) => new(1, policy, Held);

    private static SubcontractRequest Request(SubcontractPolicy passedOn = SubcontractPolicy.PriorApproval) => new(
        "株式会社サンプル封入",
        "Enclosing and sealing the DM",
        ["name", "address"],
        "Contractor's own site, Saitama",
        new DateOnly(2027, 2, 1),
        new DateOnly(2027, 3, 31),
        ContractClauses.All.ToHashSet(),
        SignedSubcontractUploaded: true,
        passedOn,
        AttestsCriteriaMet: true);

    [Theory]
    [InlineData(SubcontractPolicy.PriorApproval, SubcontractOutcome.AwaitsApproval)]
    [InlineData(SubcontractPolicy.ReportAfterTheFact, SubcontractOutcome.AwaitsAcknowledgement)]
    [InlineData(SubcontractPolicy.DelegatedUnderCriteria, SubcontractOutcome.AwaitsCriteriaCheck)]
    [InlineData(SubcontractPolicy.Delegated, SubcontractOutcome.InForce)]
    public void Qa_3_2_TheContractsPolicy_DecidesWhatAValidRequestLeadsTo(SubcontractPolicy policy, SubcontractOutcome expected)
    {
        SubcontractDecision decision = SubcontractRules.Decide(Contractor(policy), Request(passedOn: policy));

        Assert.Equal(expected, decision.Outcome);
        Assert.Empty(decision.Reasons);
    }

    [Fact]
    public void Qa_3_1_AProhibitingContract_RefusesEveryRequest_NamingThePolicyAlone()
    {
        SubcontractDecision decision = SubcontractRules.Decide(Contractor(SubcontractPolicy.Prohibited), Request() with { SubcontractorName = "" });

        Assert.Equal(SubcontractOutcome.Refused, decision.Outcome);
        Assert.Equal(["policy"], decision.Reasons.Keys);
    }

    [Fact]
    public void Qa_3_2_AClauseNotPassedOn_IsRefused_NamingTheClause()
    {
        var passedOn = ContractClauses.All.Where(clause => clause != ContractClause.LeakReporting).ToHashSet();

        SubcontractDecision decision = SubcontractRules.Decide(Contractor(SubcontractPolicy.PriorApproval), Request() with { ClausesPassedOn = passedOn });

        Assert.Equal(SubcontractOutcome.Refused, decision.Outcome);
        Assert.Contains(nameof(ContractClause.LeakReporting), Assert.Single(decision.Reasons["clausesPassedOn"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_3_2_AMissingSignedSubcontract_IsRefused()
    {
        SubcontractDecision decision = SubcontractRules.Decide(Contractor(SubcontractPolicy.PriorApproval), Request() with { SignedSubcontractUploaded = false });

        Assert.Contains("signedSubcontract", decision.Reasons.Keys);
    }

    [Fact]
    public void Qa_7_2_ATierCanHandDownOnlyDataItHolds_AndTheRefusalNamesTheItem()
    {
        SubcontractDecision decision = SubcontractRules.Decide(Contractor(SubcontractPolicy.PriorApproval), Request() with { DataItems = ["name", "bank account"] });

        Assert.Equal(SubcontractOutcome.Refused, decision.Outcome);
        Assert.Contains("bank account", Assert.Single(decision.Reasons["dataItems"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Qa_7_2_TheChainIsNoDeeperThanTheLimit(int parentDepth, bool allowed)
    {
        SubcontractDecision decision = SubcontractRules.Decide(new ParentTier(parentDepth, SubcontractPolicy.PriorApproval, Held), Request(), maxDepth: 3);

        Assert.Equal(allowed, !decision.Reasons.ContainsKey("depth"));
    }

    [Theory]
    [InlineData(SubcontractPolicy.PriorApproval, SubcontractPolicy.Prohibited, true)]
    [InlineData(SubcontractPolicy.PriorApproval, SubcontractPolicy.PriorApproval, true)]
    [InlineData(SubcontractPolicy.PriorApproval, SubcontractPolicy.ReportAfterTheFact, false)]
    [InlineData(SubcontractPolicy.ReportAfterTheFact, SubcontractPolicy.DelegatedUnderCriteria, false)]
    [InlineData(SubcontractPolicy.DelegatedUnderCriteria, SubcontractPolicy.Delegated, false)]
    [InlineData(SubcontractPolicy.Delegated, SubcontractPolicy.DelegatedUnderCriteria, true)]
    public void Qa_3_2_ATierPassesOnAPolicyNoLooserThanItsOwn(SubcontractPolicy own, SubcontractPolicy passedOn, bool allowed)
    {
        Assert.Equal(allowed, SubcontractRules.IsNotLooser(own, passedOn));
        SubcontractDecision decision = SubcontractRules.Decide(Contractor(own), Request(passedOn));
        Assert.Equal(allowed, !decision.Reasons.ContainsKey("policyForTheSubcontractor"));
    }

    [Fact]
    public void ARequest_WithEveryFieldWrong_NamesEveryField()
    {
        SubcontractRequest wrong = Request() with
        {
            SubcontractorName = "Name\r\nBcc: x@example.jp",
            Work = " ",
            WorkSite = "",
            DataItems = [],
            PlannedEnd = new DateOnly(2027, 1, 1),
        };

        SubcontractDecision decision = SubcontractRules.Decide(Contractor(SubcontractPolicy.PriorApproval), wrong);

        Assert.Equal(SubcontractOutcome.Refused, decision.Outcome);
        Assert.Equal(["dataItems", "plannedEnd", "subcontractor.name", "work", "workSite"], decision.Reasons.Keys.Order(StringComparer.Ordinal));
    }
}
