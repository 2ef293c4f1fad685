using Supervision.Domain.Common;

namespace Supervision.Domain.Vendors;

public enum QuestionKind
{
    Text,
    YesNo,
    Date,
}

/// <summary>One question a request asks the contractor, in both languages the pages speak.</summary>
public sealed record Question(string Id, string TextJa, string TextEn, QuestionKind Kind, bool Required = true)
{
    public string Text(Language language) => language == Language.Ja ? TextJa : TextEn;
}

public static class AnswerRules
{
    public const int MaxAnswerLength = 4_000;

    private static readonly string[] YesNoChoices = ["yes", "no"];

    /// <summary>The answers a closed-choice kind of question takes; none for free input.</summary>
    public static IReadOnlyList<string> Choices(QuestionKind kind) => kind == QuestionKind.YesNo ? YesNoChoices : [];

    /// <summary>Every required question answered, every answer of its question's kind, no answer to a question not asked.</summary>
    public static ValidationErrors Validate(IReadOnlyList<Question> questions, IReadOnlyDictionary<string, string?> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        var errors = new ValidationErrors();
        foreach (string unknown in answers.Keys.Except(questions.Select(question => question.Id)))
            errors.Add($"answers.{unknown}", "is not a question of this request.");

        foreach (Question question in questions)
        {
            string field = $"answers.{question.Id}";
            string? answer = answers.GetValueOrDefault(question.Id)?.Trim();
            if (string.IsNullOrEmpty(answer))
            {
                if (question.Required)
                    errors.Add(field, "is required.");
                continue;
            }

            if (answer.Length > MaxAnswerLength)
                errors.Add(field, $"must be at most {MaxAnswerLength} characters.");
            else if (question.Kind == QuestionKind.YesNo && !Choices(question.Kind).Contains(answer))
                errors.Add(field, "must be \"yes\" or \"no\".");
            else if (question.Kind == QuestionKind.Date && !DateOnly.TryParseExact(answer, "yyyy-MM-dd", out _))
                errors.Add(field, "must be a date (yyyy-MM-dd).");
        }

        return errors;
    }
}
