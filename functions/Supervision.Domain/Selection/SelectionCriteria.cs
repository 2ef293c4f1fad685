using System.Text.RegularExpressions;
using Supervision.Domain.Common;
using Supervision.Domain.Vendors;

namespace Supervision.Domain.Selection;

/// <summary>The default selection criteria of 1-5, one kind per item of its list and survey.</summary>
public enum CriterionKind
{
    PrivacyPolicy,
    Management,
    AccessControl,
    AccessLog,
    Training,
    InternalAudit,
    Certification,
    Safeguards,
    IncidentHistory,
}

/// <summary>A document the contractor is asked to upload as evidence for a criterion.</summary>
public sealed record EvidenceRequest(string Id, string TitleJa, string TitleEn);

/// <summary>
/// An unfavourable (or missing) answer to <see cref="QuestionId"/> that blocks selection until the supervisor deals with it,
/// e.g. "no privacy policy". The principal must be able to explain why it chose a contractor (1-4).
/// </summary>
public sealed record BlockingAnswer(string QuestionId, string FindingCode, string Description);

/// <summary>
/// One selection criterion (1-4, 1-5): what is asked, what evidence is requested, and how much it weighs.
/// <see cref="FavourableAnswers"/> maps each scored yes/no question to the answer that earns its share of <see cref="Weight"/>;
/// questions not in it (free text, dates) are asked for the record and not scored.
/// A <see cref="CriterionKind.Certification"/> criterion is scored from the certificates themselves, not from answers.
/// </summary>
public sealed record Criterion(
    string Id,
    string TitleJa,
    string TitleEn,
    int Weight,
    CriterionKind Kind,
    IReadOnlyList<Question> Questions,
    IReadOnlyList<EvidenceRequest> Evidence)
{
    public IReadOnlyDictionary<string, string> FavourableAnswers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<BlockingAnswer> BlockingAnswers { get; init; } = [];
}

/// <summary>
/// Selection criteria decided in advance (1-4), kept as versioned data: a decision records the <see cref="Version"/> it was
/// scored against, so the reason for choosing a contractor can be explained later even after the criteria change.
/// </summary>
public sealed record SelectionCriteria(string Version, DateOnly EffectiveFrom, IReadOnlyList<Criterion> Criteria)
{
    public int MaxScore => Criteria.Sum(criterion => criterion.Weight);

    /// <summary>Every question of every criterion, in order: the due-diligence questionnaire sent to the contractor.</summary>
    public IReadOnlyList<Question> Questionnaire => [.. Criteria.SelectMany(criterion => criterion.Questions)];
}

public static partial class SelectionCriteriaRules
{
    public const int MaxWeight = 100;

    /// <summary>A version reads <c>yyyy.n</c>, e.g. <c>2027.1</c>.</summary>
    [GeneratedRegex(@"^\d{4}\.[1-9]\d*$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    /// <summary>Checks that a set of criteria can be scored: unique ids, positive weights, scoring that refers to its own yes/no questions.</summary>
    public static ValidationErrors Validate(SelectionCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var errors = new ValidationErrors();
        if (!VersionPattern().IsMatch(criteria.Version ?? string.Empty))
            errors.Add("version", "must read yyyy.n, e.g. 2027.1.");
        if (criteria.Criteria is null || criteria.Criteria.Count == 0)
        {
            errors.Add("criteria", "must list at least one criterion.");
            return errors;
        }

        var criterionIds = new HashSet<string>(StringComparer.Ordinal);
        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        if (criteria.Criteria.Count(criterion => criterion.Kind == CriterionKind.Certification) > 1)
            errors.Add("criteria", "must have at most one certification criterion.");

        for (int i = 0; i < criteria.Criteria.Count; i++)
        {
            Criterion criterion = criteria.Criteria[i];
            string path = $"criteria[{i}]";
            if (string.IsNullOrWhiteSpace(criterion.Id) || !criterionIds.Add(criterion.Id))
                errors.Add($"{path}.id", "must be present and unique.");
            if (string.IsNullOrWhiteSpace(criterion.TitleJa) || string.IsNullOrWhiteSpace(criterion.TitleEn))
                errors.Add($"{path}.title", "must be given in Japanese and English.");
            if (criterion.Weight is < 1 or > MaxWeight)
                errors.Add($"{path}.weight", $"must be between 1 and {MaxWeight}.");
            if (criterion.Questions.Count == 0)
                errors.Add($"{path}.questions", "must ask at least one question.");
            foreach (Question question in criterion.Questions)
            {
                if (!questionIds.Add(question.Id))
                    errors.Add($"{path}.questions", $"question id '{question.Id}' is not unique.");
            }

            ValidateScoring(criterion, path, errors);
        }

        return errors;
    }

    private static void ValidateScoring(Criterion criterion, string path, ValidationErrors errors)
    {
        foreach ((string questionId, string answer) in criterion.FavourableAnswers)
        {
            Question? question = criterion.Questions.FirstOrDefault(candidate => candidate.Id == questionId);
            if (question is null || question.Kind != QuestionKind.YesNo)
                errors.Add($"{path}.favourableAnswers.{questionId}", "must name a yes/no question of this criterion.");
            else if (answer is not ("yes" or "no"))
                errors.Add($"{path}.favourableAnswers.{questionId}", "must be \"yes\" or \"no\".");
        }

        if (criterion.Kind != CriterionKind.Certification && criterion.FavourableAnswers.Count == 0)
            errors.Add($"{path}.favourableAnswers", "must score at least one yes/no question.");

        foreach (BlockingAnswer blocking in criterion.BlockingAnswers)
        {
            if (!criterion.FavourableAnswers.ContainsKey(blocking.QuestionId))
                errors.Add($"{path}.blockingAnswers.{blocking.QuestionId}", "must name a scored question of this criterion.");
        }
    }
}
