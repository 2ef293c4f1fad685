using Supervision.Domain.Contracts;

namespace Supervision.Domain.Tests.Contracts;

public sealed class HandoverEntryTests
{
    private static readonly DateOnly Today = new(2027, 3, 15);

    internal static HandoverEntry ValidEntry() => new()
    {
        DataItems = ["氏名", "住所"],
        RecordCount = 1200,
        Medium = HandoverMedium.OnlineTransfer,
        TransferMethod = TransferMethod.EncryptedTransfer,
        SenderName = "佐藤 花子",
        ReceiverName = "山田 太郎",
        ReceiverEmail = "yamada@example.co.jp",
        HandedOverOn = Today,
    };

    private static IReadOnlyDictionary<string, string[]> Errors(HandoverEntry entry) =>
        HandoverEntryRules.Validate(entry, HandoverTermsTests.CompleteTerms(), Today).ToDictionary();

    [Fact]
    public void Qa_2_4_EntryWithinTheContract_IsValid()
    {
        Assert.Empty(Errors(ValidEntry()));
    }

    [Fact]
    public void Qa_2_4_EmptyEntry_NamesEveryField()
    {
        Assert.Equal(
            ["dataItems", "handedOverOn", "medium", "receiverEmail", "receiverName", "recordCount", "senderName", "transferMethod"],
            Errors(new HandoverEntry()).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Qa_2_4_ItemsTheContractDidNotAgree_AreRefused_AndNamed()
    {
        IReadOnlyDictionary<string, string[]> errors = Errors(ValidEntry() with { DataItems = ["氏名", "口座番号", "生年月日"] });

        string message = Assert.Single(Assert.Single(errors, pair => pair.Key == "dataItems").Value);
        Assert.Contains("口座番号", message, StringComparison.Ordinal);
        Assert.Contains("生年月日", message, StringComparison.Ordinal);
        Assert.DoesNotContain("氏名", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_1_3_DataTheWorkNeeds_IsHandedOverWithoutTheIndividualsConsent_ButNothingBeyondWhatTheContractAgreed()
    {
        // 1-3: a contractor working within the purpose is no third party, so no consent is asked for; the principal
        // still answers for it, so the ledger takes only the items the contract agreed.
        Assert.Empty(Errors(ValidEntry()));
        Assert.Contains("dataItems", Errors(ValidEntry() with { DataItems = ["氏名", "病歴"] }).Keys);
    }

    [Fact]
    public void Qa_2_4_ASubsetOfTheAgreedItems_IsAllowed()
    {
        Assert.Empty(Errors(ValidEntry() with { DataItems = ["電話番号"] }));
    }

    [Fact]
    public void Qa_2_4_AMethodOtherThanTheAgreedOne_IsRefused()
    {
        IReadOnlyDictionary<string, string[]> errors = Errors(ValidEntry() with { TransferMethod = TransferMethod.TrackedDelivery });

        Assert.Equal(["transferMethod"], errors.Keys);
        Assert.Contains("EncryptedTransfer", errors["transferMethod"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Qa_2_4_RecordCount_MustBeAtLeastOne(int count)
    {
        Assert.Equal(["recordCount"], Errors(ValidEntry() with { RecordCount = count }).Keys);
    }

    [Fact]
    public void Qa_2_4_AHandoverDatedInTheFuture_IsRefused_ButTodayIsAllowed()
    {
        Assert.Equal(["handedOverOn"], Errors(ValidEntry() with { HandedOverOn = Today.AddDays(1) }).Keys);
        Assert.Empty(Errors(ValidEntry() with { HandedOverOn = Today }));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("a@b")]
    [InlineData("a@example.com, b@example.com")]
    public void Qa_2_4_ReceiverEmail_MustBeOneAddress(string email)
    {
        Assert.Equal(["receiverEmail"], Errors(ValidEntry() with { ReceiverEmail = email }).Keys);
    }

    [Fact]
    public void Qa_2_4_BlankItem_IsRefused()
    {
        Assert.Equal(["dataItems"], Errors(ValidEntry() with { DataItems = ["氏名", " "] }).Keys);
    }
}
