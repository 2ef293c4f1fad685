using Supervision.Domain.Closing;
using Supervision.Domain.Subcontracts;

namespace Supervision.Domain.Tests.Closing;

public sealed class ReturnsTests
{
    private static readonly ChainHandover[] Ledger =
    [
        new("contractor", ["氏名", "住所", "電話番号"], 1200),
        new("t2", ["氏名", "住所"], 1000),
        new("t3", ["氏名"], 400),
    ];

    private static readonly (string, int, string?)[] Chain = [("contractor", 1, null), ("t2", 2, "contractor"), ("t3", 3, "t2"), ("idle", 2, "contractor")];

    private static readonly DateOnly Today = new(2027, 4, 10);

    [Fact]
    public void Qa_7_2_WhatIsOwed_IsWhatTheLedgerHandedEachTier_AndATierThatHeldNothingIsNotAsked()
    {
        IReadOnlyList<TierReturn> owed = Returns.Owed(Ledger, Chain, []);

        Assert.Equal(["contractor", "t2", "t3"], owed.Select(tier => tier.Tier));
        Assert.Equal([new Holding("住所", 1000), new Holding("氏名", 1000)], owed[1].Owed);
    }

    [Fact]
    public void Qa_7_5_DataTheContractLetsATierKeep_IsNotOwed_AndIsShown()
    {
        var kept = new KeptData("contractor", "電話番号", "customers who signed up and consented");

        TierReturn contractor = Returns.Owed(Ledger, Chain, [kept])[0];

        Assert.DoesNotContain(contractor.Owed, holding => holding.DataItem == "電話番号");
        Assert.Equal([kept], contractor.Kept);
    }

    [Fact]
    public void Qa_7_2_TiersAreAsked_BottomUp_AndACertificateCounts_OnlyOnceEveryTierBelowCertified()
    {
        IReadOnlyList<TierReturn> owed = Returns.Owed(Ledger, Chain, []);

        Assert.Equal(["t3", "t2", "contractor"], Returns.BottomUp(owed).Select(tier => tier.Tier));
        Assert.False(Returns.Counts("t2", owed, new HashSet<string> { "t2", "contractor" }));
        Assert.True(Returns.Counts("t2", owed, new HashSet<string> { "t3", "t2" }));
        Assert.Equal(["tier contractor: return or erasure not certified"], Returns.Missing(owed, new HashSet<string> { "t3", "t2" }, checkoutsOut: 0));
    }

    [Fact]
    public void Qa_7_3_PaperOrMediaStillOut_KeepsTheEngagementOpen()
    {
        IReadOnlyList<TierReturn> owed = Returns.Owed(Ledger, Chain, []);

        Assert.Equal(["1 checkout(s) of paper or media not returned (7-3)"], Returns.Missing(owed, new HashSet<string> { "t3", "t2", "contractor" }, checkoutsOut: 1));
    }

    [Fact]
    public void Qa_2_4_ACertificate_MustCoverEveryItemHeld_AndNothingElse()
    {
        TierReturn t2 = Returns.Owed(Ledger, Chain, [])[1];
        var certificate = new ReturnCertificate(Disposition.Erased, "overwrite", Today, "加藤 次郎", ["氏名", "電話番号"], CertificateUploaded: true);

        var errors = Returns.Check(t2, certificate, lastHandover: Today.AddDays(-30), Today);

        Assert.Equal(2, errors.ToDictionary()["items"].Length);
        Assert.Contains("住所", errors.ToDictionary()["items"][0], StringComparison.Ordinal);
        Assert.Contains("電話番号", errors.ToDictionary()["items"][1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-31, true, "performedOn")]
    [InlineData(1, true, "performedOn")]
    [InlineData(0, false, "certificate")]
    public void Qa_2_4_AnErasure_IsDatedAfterTheLastHandover_NotInTheFuture_AndComesWithItsCertificate(int daysFromToday, bool uploaded, string field)
    {
        TierReturn t2 = Returns.Owed(Ledger, Chain, [])[1];
        var certificate = new ReturnCertificate(Disposition.Erased, "overwrite", Today.AddDays(daysFromToday), "加藤 次郎", ["氏名", "住所"], uploaded);

        var errors = Returns.Check(t2, certificate, lastHandover: Today.AddDays(-30), Today);

        Assert.Equal([field], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Qa_2_4_AReturn_NeedsNoCertificateOfDeletion()
    {
        TierReturn t2 = Returns.Owed(Ledger, Chain, [])[1];
        var certificate = new ReturnCertificate(Disposition.Returned, "tracked courier", Today, "加藤 次郎", ["氏名", "住所"], CertificateUploaded: false);

        Assert.True(Returns.Check(t2, certificate, Today.AddDays(-30), Today).IsEmpty);
    }

    [Fact]
    public void Qa_2_4_AnErasure_WitnessedByThePrincipal_NeedsNoCertificateOfDeletion()
    {
        TierReturn t2 = Returns.Owed(Ledger, Chain, [])[1];
        var witnessed = new ReturnCertificate(Disposition.Erased, "physical destruction", Today, "加藤 次郎", ["氏名", "住所"], CertificateUploaded: false, WitnessedBy: "supervisor 佐藤");
        var unwitnessed = witnessed with { WitnessedBy = " " };

        Assert.True(Returns.Check(t2, witnessed, Today.AddDays(-30), Today).IsEmpty);
        Assert.Equal(["certificate"], Returns.Check(t2, unwitnessed, Today.AddDays(-30), Today).ToDictionary().Keys);
    }

    [Fact]
    public void Qa_2_4_AReturnCertified_StillKeepsTheEngagementOpen_UntilThePrincipalAcknowledgesReceipt()
    {
        IReadOnlyList<TierReturn> owed = Returns.Owed(Ledger, Chain, []);
        var everyTier = new HashSet<string> { "t3", "t2", "contractor" };

        Assert.Equal(
            ["tier t2: receipt of the return not acknowledged by the principal (2-4)"],
            Returns.Missing(owed, everyTier, checkoutsOut: 0, receiptsNotAcknowledged: new HashSet<string> { "t2" }));
        Assert.Empty(Returns.Missing(owed, everyTier, checkoutsOut: 0, receiptsNotAcknowledged: new HashSet<string>()));
    }

    [Theory]
    [InlineData("", "signed up: no; consented to the hand-over on the application form", "agreement")]
    [InlineData("Agency contract art. 12", "", "consentBasis")]
    public void Qa_7_5_TheReverseFlow_IsAcceptedOnlyUnderTheRecordedAgreement_AndWithThePeoplesConsent(string agreement, string consent, string field)
    {
        var handover = new ReverseHandover("contractor", "見込み客の氏名・電話番号", 120, agreement, consent, Today);

        Assert.Equal([field], Returns.CheckReverse(handover, Today).ToDictionary().Keys);
        Assert.True(Returns.CheckReverse(handover with { Agreement = "Agency contract art. 12", ConsentBasis = "consented on the application form" }, Today).IsEmpty);
    }

    [Fact]
    public void Qa_7_5_AReverseHandover_NamesWhatArrived_HowMany_AndWhen()
    {
        var handover = new ReverseHandover("contractor", " ", 0, "Agency contract art. 12", "consented on the application form", Today.AddDays(1));

        Assert.Equal(["dataItem", "records", "receivedOn"], Returns.CheckReverse(handover, Today).ToDictionary().Keys);
    }
}

public sealed class PlannedEndTests
{
    private static readonly DateOnly EndsOn = new(2027, 3, 31);

    [Theory]
    [InlineData("2027-02-28", false)]
    [InlineData("2027-03-01", true)]
    [InlineData("2027-03-31", true)]
    [InlineData("2027-04-01", false)]
    public void Qa_2_4_NoticeOfWhatWillBeOwed_IsDueWithinTheNoticePeriod_UntilThePlannedEndPasses(string today, bool due) =>
        Assert.Equal(due, PlannedEnd.NoticeIsDue(EndsOn, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), noticeDays: 30));

    [Fact]
    public void Qa_2_4_TheWorkEnds_TheDayAfterItsPlannedEnd()
    {
        Assert.False(PlannedEnd.HasPassed(EndsOn, EndsOn));
        Assert.True(PlannedEnd.HasPassed(EndsOn, EndsOn.AddDays(1)));
    }
}
