using Supervision.Domain.Common;

namespace Supervision.Domain.Contracts;

/// <summary>
/// Paper or media taken out by a contractor, such as installation work orders handed over for each job and returned when
/// it is done (7-3). The period from checkout to return is fixed in advance (滞留期間).
/// </summary>
public sealed record Checkout(string ItemDescription, DateOnly CheckedOutOn, DateOnly DueBack);

public static class CheckoutRules
{
    public const int MaxDescriptionLength = 500;

    public static ValidationErrors Validate(Checkout checkout)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        var errors = new ValidationErrors();
        errors.RequiredLine("itemDescription", checkout.ItemDescription, MaxDescriptionLength);
        if (checkout.DueBack < checkout.CheckedOutOn)
            errors.Add("dueBack", "must not be before checkedOutOn.");
        return errors;
    }

    /// <summary>
    /// True while the item is still out after its due date: the day it is due is not overdue, and a returned item is never
    /// overdue (see <see cref="WasReturnedLate"/> for the record).
    /// </summary>
    public static bool IsOverdue(Checkout checkout, DateOnly? returnedOn, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        return Deadline.IsOverdue(checkout.DueBack, returnedOn, today);
    }

    /// <summary>Whole days past the due date while still out; 0 otherwise.</summary>
    public static int DaysOverdue(Checkout checkout, DateOnly? returnedOn, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        return Deadline.DaysOverdue(checkout.DueBack, returnedOn, today);
    }

    /// <summary>True when the item came back after its due date.</summary>
    public static bool WasReturnedLate(Checkout checkout, DateOnly returnedOn)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        return Deadline.WasLate(checkout.DueBack, returnedOn);
    }
}
