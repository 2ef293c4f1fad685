using Supervision.Domain.Common;

namespace Supervision.Domain.Mail;

/// <summary>Where a request sent to a contractor contact stands (a questionnaire, a report, a pledge).</summary>
public enum RequestStatus
{
    /// <summary>Sent and waiting for the contact's answer.</summary>
    Open,

    /// <summary>Answered: nothing is left to remind about.</summary>
    Fulfilled,

    /// <summary>Called off by staff: the contact must not be chased.</summary>
    Withdrawn,
}

/// <summary>The request a reminder is about, as the caller reads it right before reminding.</summary>
/// <param name="DueDate">The last day to answer, in Japan time: the request is overdue from the next day on.</param>
public sealed record RequestState(RequestStatus Status, DateOnly DueDate);

/// <summary>Why a reminder is or is not sent.</summary>
public enum ReminderDecision
{
    Remind,
    NotDueYet,
    AlreadyFulfilled,
    Withdrawn,
}

/// <summary>
/// When a contact is reminded of a request. Due dates are calendar days in Japan time (UTC+9, no daylight saving):
/// a request due on 31 January is answered in time until 23:59:59 that day in Tokyo.
/// </summary>
public static class Reminders
{
    public static readonly TimeSpan JapanOffset = JapanCalendar.Offset;

    public static ReminderDecision Decide(RequestState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Status switch
        {
            RequestStatus.Fulfilled => ReminderDecision.AlreadyFulfilled,
            RequestStatus.Withdrawn => ReminderDecision.Withdrawn,
            _ => DaysOverdue(state.DueDate, now) > 0 ? ReminderDecision.Remind : ReminderDecision.NotDueYet,
        };
    }

    /// <summary>Only an open request past its due date is reminded; a fulfilled or withdrawn one never is.</summary>
    public static bool ShouldRemind(RequestState state, DateTimeOffset now) => Decide(state, now) == ReminderDecision.Remind;

    /// <summary>Whole calendar days (Japan time) since the due date; 0 on the due date and before it.</summary>
    public static int DaysOverdue(DateOnly dueDate, DateTimeOffset now) =>
        Deadline.DaysOverdue(dueDate, null, JapanCalendar.DateAt(now));
}
