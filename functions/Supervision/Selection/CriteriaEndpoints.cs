using Microsoft.AspNetCore.Http;
using Supervision.Domain.Selection;
using Supervision.Domain.Staff;
using Supervision.Security;

namespace Supervision.Selection;

/// <summary><c>GET /api/selection-criteria</c>: the criteria in force (1-4, 1-5), as every new engagement is judged against them.</summary>
public sealed class CriteriaEndpoints(StaffAccess staff)
{
    public const string Route = "api/selection-criteria";

    public IResult Get(HttpRequest request)
    {
        StaffAccessResult access = staff.ToRead(request, StaffRoles.Readers);
        if (access.Denied is not null)
            return access.Denied;
        SelectionCriteria criteria = DefaultSelectionCriteria.V1;
        return TypedResults.Ok(new CriteriaView(
            criteria.Version,
            criteria.EffectiveFrom,
            criteria.MaxScore,
            [.. criteria.Criteria.Select(criterion => new CriterionView(
                criterion.Id,
                criterion.TitleJa,
                criterion.TitleEn,
                criterion.Weight,
                criterion.Kind,
                [.. criterion.Questions.Select(question => new QuestionView(question.Id, question.TextJa, question.TextEn, question.Kind.ToString().ToLowerInvariant(), question.Required))],
                criterion.Evidence,
                criterion.FavourableAnswers,
                criterion.BlockingAnswers))]));
    }
}

public sealed record CriteriaView(string Version, DateOnly EffectiveFrom, int MaxScore, IReadOnlyList<CriterionView> Criteria);

public sealed record CriterionView(
    string Id,
    string TitleJa,
    string TitleEn,
    int Weight,
    CriterionKind Kind,
    IReadOnlyList<QuestionView> Questions,
    IReadOnlyList<EvidenceRequest> Evidence,
    IReadOnlyDictionary<string, string> FavourableAnswers,
    IReadOnlyList<BlockingAnswer> BlockingAnswers);

public sealed record QuestionView(string Id, string TextJa, string TextEn, string Kind, bool Required);
