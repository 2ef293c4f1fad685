using Supervision.Domain.Contracts;

namespace Supervision.Domain.Tests.Contracts;

public sealed class CheckoutRulesTests
{
    private static readonly Checkout WorkOrder = new("工事指示書 No.1234（顧客氏名・住所記載）", new DateOnly(2027, 6, 1), new DateOnly(2027, 6, 3));

    [Fact]
    public void Qa_7_3_NotOverdue_OnTheDueDate()
    {
        Assert.False(CheckoutRules.IsOverdue(WorkOrder, null, new DateOnly(2027, 6, 3)));
        Assert.Equal(0, CheckoutRules.DaysOverdue(WorkOrder, null, new DateOnly(2027, 6, 3)));
    }

    [Fact]
    public void Qa_7_3_Overdue_TheDayAfterTheDueDate_WhileStillOut()
    {
        Assert.True(CheckoutRules.IsOverdue(WorkOrder, null, new DateOnly(2027, 6, 4)));
        Assert.Equal(5, CheckoutRules.DaysOverdue(WorkOrder, null, new DateOnly(2027, 6, 8)));
    }

    [Fact]
    public void Qa_7_3_ReturnedItem_IsNeverOverdue_ButALateReturnIsRecorded()
    {
        var returnedOn = new DateOnly(2027, 6, 5);

        Assert.False(CheckoutRules.IsOverdue(WorkOrder, returnedOn, new DateOnly(2027, 6, 10)));
        Assert.Equal(0, CheckoutRules.DaysOverdue(WorkOrder, returnedOn, new DateOnly(2027, 6, 10)));
        Assert.True(CheckoutRules.WasReturnedLate(WorkOrder, returnedOn));
        Assert.False(CheckoutRules.WasReturnedLate(WorkOrder, new DateOnly(2027, 6, 3)));
    }

    [Fact]
    public void Validate_AcceptsAWorkOrderDueTheSameDay()
    {
        Assert.True(CheckoutRules.Validate(WorkOrder with { DueBack = WorkOrder.CheckedOutOn }).IsEmpty);
    }

    [Fact]
    public void Qa_7_3_Validate_RequiresADescriptionAndADueDateNotBeforeCheckout()
    {
        var errors = CheckoutRules.Validate(new Checkout(" ", new DateOnly(2027, 6, 5), new DateOnly(2027, 6, 4))).ToDictionary();

        Assert.Equal(["dueBack", "itemDescription"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
