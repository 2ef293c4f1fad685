using Supervision.Domain.Mail;

namespace Supervision.Domain.Tests.Mail;

public sealed class RemindersTests
{
    private static readonly DateOnly DueDate = new(2027, 2, 15);

    /// <summary>A moment given as Japan time.</summary>
    private static DateTimeOffset Tokyo(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, Reminders.JapanOffset);

    [Fact]
    public void AnOpenRequest_PastItsDueDate_IsReminded()
    {
        Assert.True(Reminders.ShouldRemind(new RequestState(RequestStatus.Open, DueDate), Tokyo(2, 18, 9)));
    }

    [Fact]
    public void AFulfilledRequest_IsNeverReminded_HoweverLate()
    {
        var state = new RequestState(RequestStatus.Fulfilled, DueDate);

        Assert.False(Reminders.ShouldRemind(state, Tokyo(2, 18, 9)));
        Assert.False(Reminders.ShouldRemind(state, Tokyo(12, 31, 23)));
        Assert.Equal(ReminderDecision.AlreadyFulfilled, Reminders.Decide(state, Tokyo(2, 18, 9)));
    }

    [Fact]
    public void AWithdrawnRequest_IsNeverReminded()
    {
        var state = new RequestState(RequestStatus.Withdrawn, DueDate);

        Assert.False(Reminders.ShouldRemind(state, Tokyo(2, 18, 9)));
        Assert.Equal(ReminderDecision.Withdrawn, Reminders.Decide(state, Tokyo(2, 18, 9)));
    }

    [Fact]
    public void AnOpenRequest_IsNotReminded_UntilItsDueDateHasEndedInJapan()
    {
        var state = new RequestState(RequestStatus.Open, DueDate);

        Assert.Equal(ReminderDecision.NotDueYet, Reminders.Decide(state, Tokyo(2, 1, 9)));
        Assert.Equal(ReminderDecision.NotDueYet, Reminders.Decide(state, Tokyo(2, 15, 23, 59)));
        Assert.Equal(ReminderDecision.Remind, Reminders.Decide(state, Tokyo(2, 16, 0, 0)));
    }

    [Fact]
    public void TheDueDate_EndsAtMidnightInTokyo_NotAtMidnightUtc()
    {
        var state = new RequestState(RequestStatus.Open, DueDate);
        // 2027-02-15 20:00 UTC is already 2027-02-16 05:00 in Tokyo.
        var evening = new DateTimeOffset(2027, 2, 15, 20, 0, 0, TimeSpan.Zero);

        Assert.True(Reminders.ShouldRemind(state, evening));
        Assert.Equal(1, Reminders.DaysOverdue(DueDate, evening));
    }

    [Theory]
    [InlineData(2, 10, 0)]
    [InlineData(2, 15, 0)]
    [InlineData(2, 16, 1)]
    [InlineData(2, 18, 3)]
    [InlineData(3, 15, 28)]
    public void DaysOverdue_CountsCalendarDaysInJapanAfterTheDueDate(int month, int day, int expected)
    {
        Assert.Equal(expected, Reminders.DaysOverdue(DueDate, Tokyo(month, day, 12)));
    }
}
