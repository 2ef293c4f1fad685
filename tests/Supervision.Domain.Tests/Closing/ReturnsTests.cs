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
}
