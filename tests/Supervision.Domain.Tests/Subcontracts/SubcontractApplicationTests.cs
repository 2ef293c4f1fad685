using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Selection;
using Supervision.Domain.Subcontracts;

namespace Supervision.Domain.Tests.Subcontracts;

public sealed class SubcontractApplicationTests
{
    private static WorkerDraft Worker(WorkerAffiliation? affiliation = WorkerAffiliation.ThisTier, string? employer = null) =>
        new() { Name = "小林 三郎", Role = "封入作業", Affiliation = affiliation, EmployerName = employer, Trained = true };

    private static SubcontractDraft Draft() => new()
    {
        Subcontractor = new SubcontractorDraft
        {
            Name = "株式会社封入センター",
            CorporateNumber = null,
            Contact = new ContactDraft { Name = "加藤 次郎", Email = "kato@fuunyu.example.co.jp", PreferredLanguage = "ja" },
        },
        Work = "DMの封入・封緘",
        DataItems = ["氏名", " 住所 ", "氏名"],
        WorkSite = "埼玉県さいたま市",
        PlannedStart = new DateOnly(2027, 2, 1),
        PlannedEnd = new DateOnly(2027, 12, 31),
        ClausesPassedOn = [.. ContractClauses.All],
        PolicyForTheSubcontractor = SubcontractPolicy.PriorApproval,
        WorkStatement = new WorkStatementDraft
        {
            ProcessSteps = [ProcessStep.Receive, ProcessStep.Enclose],
            Manager = Worker(),
            Workers = [Worker(), Worker(WorkerAffiliation.StaffingAgency, "株式会社サンプル派遣")],
            WorkLocation = WorkLocation.SubcontractorSite,
            HomePcAllowed = false,
            AccessLogReview = AccessLogReview.Weekly,
        },
    };

    [Fact]
    public void Qa_3_2_AWellFormedDraft_ReadsAsAnApplication_WithItsItemsTrimmedAndDistinct()
    {
        var errors = SubcontractApplications.Read(Draft(), signedSubcontractUploaded: true, out SubcontractApplication? application);

        Assert.True(errors.IsEmpty);
        Assert.Equal(["氏名", "住所"], application!.Request.DataItems);
        Assert.Equal("kato@fuunyu.example.co.jp", application.Subcontractor.Contact.Email);
        Assert.Equal("株式会社サンプル派遣", application.WorkStatement.Workers[1].EmployerName);
        Assert.True(application.Request.SignedSubcontractUploaded);
    }

    [Fact]
    public void Qa_7_2_AWorkerWithoutAnAffiliation_IsRefused_NamingTheWorker()
    {
        SubcontractDraft draft = Draft() with { WorkStatement = Draft().WorkStatement! with { Workers = [Worker(), Worker(affiliation: null)] } };

        var errors = SubcontractApplications.Read(draft, signedSubcontractUploaded: true, out SubcontractApplication? application);

        Assert.Null(application);
        Assert.Equal(["workStatement.workers[1].affiliation"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Qa_7_2_AnAgencyWorker_NamesTheAgency()
    {
        SubcontractDraft draft = Draft() with { WorkStatement = Draft().WorkStatement! with { Workers = [Worker(WorkerAffiliation.StaffingAgency)] } };

        var errors = SubcontractApplications.Read(draft, signedSubcontractUploaded: true, out _);

        Assert.Equal(["workStatement.workers[0].employerName"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Qa_7_2_AMissingWorkStatement_IsRefused_AsARequiredAnswer()
    {
        var errors = SubcontractApplications.Read(Draft() with { WorkStatement = null }, signedSubcontractUploaded: true, out _);

        Assert.Equal(["workStatement"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void ASubcontractorWithABadEmailOrCorporateNumber_IsRefused_NamingEach()
    {
        SubcontractDraft draft = Draft() with
        {
            Subcontractor = Draft().Subcontractor! with
            {
                CorporateNumber = "1234567890123",
                Contact = new ContactDraft { Name = "加藤", Email = "kato@", PreferredLanguage = "fr" },
            },
        };

        var errors = SubcontractApplications.Read(draft, signedSubcontractUploaded: true, out _);

        Assert.Equal(
            ["subcontractor.contact.email", "subcontractor.contact.preferredLanguage", "subcontractor.corporateNumber"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Qa_3_2_UnderDelegationByCriteria_TheContractorMustAttestTheCriteriaAreMet()
    {
        var errors = SubcontractApplications.Read(Draft(), signedSubcontractUploaded: true, out SubcontractApplication? application);
        var parent = new ParentTier(1, SubcontractPolicy.DelegatedUnderCriteria, new HashSet<string>(StringComparer.Ordinal) { "氏名", "住所" });

        SubcontractDecision unattested = SubcontractRules.Decide(parent, application!.Request);
        SubcontractDecision attested = SubcontractRules.Decide(parent, application.Request with { AttestsCriteriaMet = true });

        Assert.True(errors.IsEmpty);
        Assert.Equal(["attestsCriteriaMet"], unattested.Reasons.Keys);
        Assert.Equal(SubcontractOutcome.AwaitsCriteriaCheck, attested.Outcome);
    }

    [Theory]
    [InlineData(RiskTier.Low, 0, true)]
    [InlineData(RiskTier.Medium, 0, true)]
    [InlineData(RiskTier.High, 0, false)]
    [InlineData(RiskTier.Low, 1, false)]
    public void Qa_3_2_ASubcontractorMeetsTheCriteria_OnlyWithoutBlockingFindings_AndAtMostMediumRisk(RiskTier risk, int blockingFindings, bool meets)
    {
        var score = new ScoreBreakdown("v1", [], [.. Enumerable.Range(0, blockingFindings).Select(i => new Finding($"c{i}", $"f{i}", "blocking"))]);

        Assert.Equal(meets, SubcontractRules.MeetsCriteria(score, risk));
    }

    [Theory]
    [InlineData(SubcontractOutcome.AwaitsApproval, SubcontractStatus.AwaitingApproval)]
    [InlineData(SubcontractOutcome.AwaitsAcknowledgement, SubcontractStatus.InForce)]
    [InlineData(SubcontractOutcome.AwaitsCriteriaCheck, SubcontractStatus.AwaitingCriteriaCheck)]
    [InlineData(SubcontractOutcome.InForce, SubcontractStatus.InForce)]
    public void Qa_3_2_OnlyPriorApprovalAndAFailedCriteriaCheck_HoldBackTheData(SubcontractOutcome outcome, SubcontractStatus status)
    {
        Assert.Equal(status, SubcontractRules.InitialStatus(outcome));
    }

    [Fact]
    public void Qa_7_2_WhatATierHolds_IsReadFromTheLedger_ItemByItem_AndRecordsInAll()
    {
        ChainHandover[] ledger =
        [
            new("contractor", ["氏名", "住所", "電話番号"], 1200),
            new("t2", ["氏名", "住所"], 1000),
            new("t2", ["氏名"], 50),
        ];

        IReadOnlyDictionary<string, TierHoldings> holdings = ChainHoldings.ByTier(ledger);

        Assert.Equal(1050, holdings["t2"].Records);
        Assert.Equal([new Holding("住所", 1000), new Holding("氏名", 1050)], holdings["t2"].Items);
        Assert.Equal(1200, holdings["contractor"].Records);
        Assert.Equal(new HashSet<string> { "氏名", "住所" }, ChainHoldings.ItemsHeld(ledger, "t2"));
        Assert.Empty(ChainHoldings.ItemsHeld(ledger, "t3"));
    }
}
