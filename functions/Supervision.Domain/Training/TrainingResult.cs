using Supervision.Domain.Common;

namespace Supervision.Domain.Training;

/// <summary>
/// The contractor's report of a training session held (5-1 ② 実施結果の確認): when, what, how many attended, and the check
/// test if one was given. The principal receives counts; a roster of named attendees is personal data of the contractor's
/// staff and may be sent only with their consent (5-2).
/// </summary>
public sealed record TrainingResult(
    DateOnly HeldOn,
    string Content,
    int Attendance,
    int? TestTakers,
    int? TestPassed,
    bool HasNamedRoster,
    bool RosterConsentConfirmed);

public static class TrainingResultRules
{
    public const int MaxAttendance = 100_000;
    public const int MaxContentLength = 2_000;

    public static ValidationErrors Validate(TrainingResult result, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(result);
        var errors = new ValidationErrors();
        errors.NotInFuture("heldOn", result.HeldOn, today);
        errors.Required("content", result.Content, MaxContentLength);
        errors.Range("attendance", result.Attendance, 1, MaxAttendance);
        ValidateTest(result, errors);
        if (result.HasNamedRoster && !result.RosterConsentConfirmed)
        {
            errors.Add(
                "hasNamedRoster",
                "a roster of named attendees can be accepted only when the contractor confirms that the attendees were told the purpose "
                + "and consented beforehand to it going to the principal (5-2); otherwise send the attendance count without names.");
        }

        return errors;
    }

    private static void ValidateTest(TrainingResult result, ValidationErrors errors)
    {
        int? ceiling = result.Attendance is >= 1 and <= MaxAttendance ? result.Attendance : null;
        if (result.TestTakers is int takers)
        {
            if (takers < 0)
                errors.Add("testTakers", "must not be negative.");
            else if (ceiling is int attendance && takers > attendance)
                errors.Add("testTakers", $"must not exceed attendance ({attendance}).");
        }

        if (result.TestPassed is not int passed)
            return;
        if (passed < 0)
            errors.Add("testPassed", "must not be negative.");
        else if (result.TestTakers is null)
            errors.Add("testPassed", "needs testTakers: say how many took the test.");
        else if (result.TestTakers >= 0 && passed > result.TestTakers)
            errors.Add("testPassed", $"must not exceed testTakers ({result.TestTakers}).");
    }
}
