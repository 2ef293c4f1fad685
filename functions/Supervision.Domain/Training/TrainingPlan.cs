using Supervision.Domain.Common;

namespace Supervision.Domain.Training;

/// <summary>
/// The contractor's plan for training its staff in handling personal information, which the principal confirms before it is
/// held (5-1 ① 実施計画の確認): what is taught, in what form, to whom, when, and how the result is checked (確認テスト等).
/// </summary>
public sealed record TrainingPlan(IReadOnlyList<string> Topics, string Format, string Audience, IReadOnlyList<DateOnly> PlannedDates, string ResultCheck);

public static class TrainingPlanRules
{
    public const int MaxTopics = 50;
    public const int MaxSessions = 52;
    public const int MaxTopicLength = 200;
    public const int MaxTextLength = 1_000;

    /// <summary>A plan is for sessions still to come: each planned date is today or later, and no two are the same.</summary>
    public static ValidationErrors Validate(TrainingPlan plan, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new ValidationErrors();
        if (plan.Topics is null || plan.Topics.Count == 0)
            errors.Add("topics", "must name at least one topic taught (5-1).");
        else if (plan.Topics.Count > MaxTopics)
            errors.Add("topics", $"must list at most {MaxTopics} topics.");
        else
            for (int i = 0; i < plan.Topics.Count; i++)
                errors.RequiredLine($"topics[{i}]", plan.Topics[i], MaxTopicLength);

        errors.Required("format", plan.Format, MaxTextLength);
        errors.Required("audience", plan.Audience, MaxTextLength);
        errors.Required("resultCheck", plan.ResultCheck, MaxTextLength);
        ValidateDates(plan.PlannedDates, today, errors);
        return errors;
    }

    private static void ValidateDates(IReadOnlyList<DateOnly>? dates, DateOnly today, ValidationErrors errors)
    {
        if (dates is null || dates.Count == 0)
        {
            errors.Add("plannedDates", "must give at least one date (5-1).");
            return;
        }

        if (dates.Count > MaxSessions)
            errors.Add("plannedDates", $"must list at most {MaxSessions} dates.");
        var seen = new HashSet<DateOnly>();
        for (int i = 0; i < dates.Count; i++)
        {
            if (dates[i] < today)
                errors.Add($"plannedDates[{i}]", $"must not be in the past (today is {today:yyyy-MM-dd}); report a session already held as a result.");
            if (!seen.Add(dates[i]))
                errors.Add($"plannedDates[{i}]", "repeats an earlier date.");
        }
    }
}
