using Supervision.Domain.Selection;
using Supervision.Domain.Vendors;

namespace Supervision.Domain.Tests.Selection;

public sealed class SelectionCriteriaTests
{
    private static readonly SelectionCriteria V1 = DefaultSelectionCriteria.V1;

    private static Criterion ValidCriterion() => new(
        "policy", "方針", "Policy", 10, CriterionKind.PrivacyPolicy,
        [
            new Question("policy.published", "方針を公表していますか。", "Published?", QuestionKind.YesNo),
            new Question("policy.where", "公表先", "Where?", QuestionKind.Text, Required: false),
        ],
        [])
    {
        FavourableAnswers = new Dictionary<string, string> { ["policy.published"] = "yes" },
        BlockingAnswers = [new BlockingAnswer("policy.published", "no-policy", "no policy")],
    };

    private static SelectionCriteria With(params Criterion[] criteria) => new("2027.1", new DateOnly(2027, 4, 1), criteria);

    [Fact]
    public void DefaultV1_IsValid()
    {
        Assert.Empty(SelectionCriteriaRules.Validate(V1).ToDictionary());
    }

    [Fact]
    public void Qa_1_4_DefaultCriteria_AreVersionedData()
    {
        Assert.Equal("2027.1", V1.Version);
        Assert.Equal(new DateOnly(2027, 4, 1), V1.EffectiveFrom);
    }

    [Fact]
    public void Qa_1_5_DefaultCriteria_CoverEveryItemOfTheList_OnceEach()
    {
        Assert.Equal(
            [
                CriterionKind.PrivacyPolicy, CriterionKind.Management, CriterionKind.AccessControl, CriterionKind.AccessLog,
                CriterionKind.Training, CriterionKind.InternalAudit, CriterionKind.Certification, CriterionKind.Safeguards,
                CriterionKind.IncidentHistory,
            ],
            V1.Criteria.Select(criterion => criterion.Kind));
    }

    [Fact]
    public void DefaultV1_WeightsAddUpTo100()
    {
        Assert.Equal(100, V1.MaxScore);
    }

    [Fact]
    public void Qa_1_5_Survey_CertificationsAndSafeguardsWeighMost_IncidentsAndTrainingLess()
    {
        int Weight(CriterionKind kind) => V1.Criteria.Single(criterion => criterion.Kind == kind).Weight;

        Assert.Equal(20, Weight(CriterionKind.Safeguards));
        Assert.Equal(14, Weight(CriterionKind.Certification));
        Assert.Equal(8, Weight(CriterionKind.Training));
        Assert.Equal(10, Weight(CriterionKind.IncidentHistory));
    }

    [Fact]
    public void Qa_1_5_AccessControl_AsksWhoMayRead_Update_Add_Delete()
    {
        Criterion access = V1.Criteria.Single(criterion => criterion.Kind == CriterionKind.AccessControl);

        Assert.Contains(access.Questions, question => question.TextJa.Contains("参照・更新・追加・削除", StringComparison.Ordinal));
    }

    [Fact]
    public void Qa_1_5_Management_RequiresTheNamedManager()
    {
        Question name = Assert.Single(V1.Questionnaire, question => question.Id == "management.manager-name");

        Assert.True(name.Required);
        Assert.Equal(QuestionKind.Text, name.Kind);
    }

    [Fact]
    public void Qa_1_5_IncidentHistory_FavoursNoPastLeak()
    {
        Criterion incidents = V1.Criteria.Single(criterion => criterion.Kind == CriterionKind.IncidentHistory);

        Assert.Equal("no", incidents.FavourableAnswers["incidents.past-five-years"]);
    }

    [Fact]
    public void DefaultV1_Questionnaire_AcceptsACompleteSetOfAnswers()
    {
        Dictionary<string, string?> answers = V1.Questionnaire
            .Where(question => question.Required)
            .ToDictionary(question => question.Id, question => (string?)(question.Kind == QuestionKind.YesNo ? "yes" : "Hanako Sato, CISO"));

        Assert.Empty(AnswerRules.Validate(V1.Questionnaire, answers).ToDictionary());
    }

    [Fact]
    public void DefaultV1_QuestionsAreAllInJapaneseAndEnglish()
    {
        Assert.All(V1.Questionnaire, question =>
        {
            Assert.False(string.IsNullOrWhiteSpace(question.TextJa));
            Assert.False(string.IsNullOrWhiteSpace(question.TextEn));
            Assert.NotEqual(question.TextJa, question.TextEn);
        });
    }

    [Fact]
    public void Validate_AcceptsAMinimalValidSet()
    {
        Assert.Empty(SelectionCriteriaRules.Validate(With(ValidCriterion())).ToDictionary());
    }

    [Theory]
    [InlineData("2027")]
    [InlineData("v1")]
    [InlineData("2027.0")]
    [InlineData("")]
    public void Validate_RejectsAVersionNotYearDotNumber(string version)
    {
        var errors = SelectionCriteriaRules.Validate(With(ValidCriterion()) with { Version = version }).ToDictionary();

        Assert.Equal(["version"], errors.Keys);
    }

    [Fact]
    public void Validate_RejectsDuplicateCriterionAndQuestionIds()
    {
        var errors = SelectionCriteriaRules.Validate(With(ValidCriterion(), ValidCriterion())).ToDictionary();

        Assert.Equal(["criteria[1].id", "criteria[1].questions"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_RejectsAWeightOutside1To100(int weight)
    {
        var errors = SelectionCriteriaRules.Validate(With(ValidCriterion() with { Weight = weight })).ToDictionary();

        Assert.Equal(["criteria[0].weight"], errors.Keys);
    }

    [Fact]
    public void Validate_RejectsScoringAFreeTextQuestion()
    {
        Criterion criterion = ValidCriterion() with
        {
            FavourableAnswers = new Dictionary<string, string> { ["policy.published"] = "yes", ["policy.where"] = "yes" },
        };

        var errors = SelectionCriteriaRules.Validate(With(criterion)).ToDictionary();

        Assert.Equal(["criteria[0].favourableAnswers.policy.where"], errors.Keys);
    }

    [Fact]
    public void Validate_RejectsABlockingAnswerToAnUnscoredQuestion()
    {
        Criterion criterion = ValidCriterion() with { BlockingAnswers = [new BlockingAnswer("policy.where", "x", "x")] };

        var errors = SelectionCriteriaRules.Validate(With(criterion)).ToDictionary();

        Assert.Equal(["criteria[0].blockingAnswers.policy.where"], errors.Keys);
    }

    [Fact]
    public void Validate_RejectsAnAnswerScoredCriterionWithNothingToScore()
    {
        Criterion criterion = ValidCriterion() with { FavourableAnswers = new Dictionary<string, string>(), BlockingAnswers = [] };

        var errors = SelectionCriteriaRules.Validate(With(criterion)).ToDictionary();

        Assert.Equal(["criteria[0].favourableAnswers"], errors.Keys);
    }
}
