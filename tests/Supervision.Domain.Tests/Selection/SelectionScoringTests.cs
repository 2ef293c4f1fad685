using Supervision.Domain.Selection;

namespace Supervision.Domain.Tests.Selection;

public sealed class SelectionScoringTests
{
    private static readonly DateOnly Today = new(2027, 6, 1);
    private static readonly Certificate ValidPrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2027, 1, 1), new DateOnly(2028, 12, 31));
    private static readonly Certificate ExpiredPrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 31));
    private static readonly Certificate ExpiringPrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2025, 9, 1), new DateOnly(2027, 8, 31));
    private static readonly Certificate Isms2013 = new(CertificateKind.Isms, "ISO/IEC 27001:2013", new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31));

    /// <summary>Every scored question of the default criteria answered favourably, written out rather than derived.</summary>
    private static Dictionary<string, string?> FavourableAnswers() => new()
    {
        ["privacy-policy.published"] = "yes",
        ["management.organisation"] = "yes",
        ["management.manager-appointed"] = "yes",
        ["management.manager-name"] = "Hanako Sato, CISO",
        ["access.restricted"] = "yes",
        ["access.operations-defined"] = "yes",
        ["access-log.collected"] = "yes",
        ["access-log.reviewed"] = "yes",
        ["training.regular"] = "yes",
        ["audit.conducted"] = "yes",
        ["certification.held"] = "yes",
        ["safeguards.organisational"] = "yes",
        ["safeguards.physical"] = "yes",
        ["safeguards.technical"] = "yes",
        ["incidents.past-five-years"] = "no",
    };

    private static Dictionary<string, string?> With(string questionId, string? answer)
    {
        Dictionary<string, string?> answers = FavourableAnswers();
        answers[questionId] = answer;
        return answers;
    }

    private static ScoreBreakdown Score(Dictionary<string, string?> answers, params Certificate[] certificates) =>
        SelectionScoring.Score(DefaultSelectionCriteria.V1, answers, certificates, Today);

    private static CriterionScore Of(ScoreBreakdown breakdown, string criterionId) =>
        breakdown.Criteria.Single(criterion => criterion.CriterionId == criterionId);

    [Fact]
    public void Qa_1_4_FullMarks_WhenEveryAnswerIsFavourableAndACertificateIsValid()
    {
        ScoreBreakdown breakdown = Score(FavourableAnswers(), ValidPrivacyMark);

        Assert.Equal(100m, breakdown.Total);
        Assert.Equal(100, breakdown.MaxTotal);
        Assert.Equal(100.0m, breakdown.Percentage);
        Assert.Empty(breakdown.BlockingFindings);
        Assert.Equal("2027.1", breakdown.CriteriaVersion);
        Assert.Equal(9, breakdown.Criteria.Count);
    }

    [Fact]
    public void Qa_1_5_NoPrivacyPolicy_ScoresNothing_AndIsABlockingFinding()
    {
        ScoreBreakdown breakdown = Score(With("privacy-policy.published", "no"), ValidPrivacyMark);

        Assert.Equal(0m, Of(breakdown, "privacy-policy").Score);
        Assert.Equal(92m, breakdown.Total);
        Assert.Equal([new Finding("privacy-policy", "no-privacy-policy", "no privacy policy")], breakdown.BlockingFindings);
    }

    [Fact]
    public void Qa_1_5_UnnamedManager_IsABlockingFinding_WhenTheQuestionIsLeftUnanswered()
    {
        ScoreBreakdown breakdown = Score(With("management.manager-appointed", null), ValidPrivacyMark);

        Assert.Equal(5m, Of(breakdown, "management").Score);
        Assert.Equal(["no-named-manager"], breakdown.BlockingFindings.Select(finding => finding.Code));
        Assert.Contains("management.manager-appointed not answered", Of(breakdown, "management").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_2_3_Safeguards_ScoreTheShareOfOrganisationalPhysicalAndTechnicalMeasuresInPlace()
    {
        ScoreBreakdown breakdown = Score(With("safeguards.physical", "no"), ValidPrivacyMark);

        Assert.Equal(13.33m, Of(breakdown, "safeguards").Score);
        Assert.Equal(93.33m, breakdown.Total);
        Assert.Equal(93.3m, breakdown.Percentage);
        Assert.Empty(breakdown.BlockingFindings);
    }

    [Fact]
    public void Qa_1_5_PastLeak_LosesTheIncidentWeight_WithoutBlocking()
    {
        ScoreBreakdown breakdown = Score(With("incidents.past-five-years", "yes"), ValidPrivacyMark);

        Assert.Equal(0m, Of(breakdown, "incident-history").Score);
        Assert.Equal(90m, breakdown.Total);
        Assert.Empty(breakdown.BlockingFindings);
    }

    [Fact]
    public void Answers_AreTrimmedBeforeScoring()
    {
        ScoreBreakdown breakdown = Score(With("training.regular", " yes "), ValidPrivacyMark);

        Assert.Equal(8m, Of(breakdown, "training").Score);
    }

    [Fact]
    public void NoAnswers_ScoreOnlyTheCertificate_AndBlockOnEveryBlockingQuestion()
    {
        ScoreBreakdown breakdown = Score(new Dictionary<string, string?>(), ValidPrivacyMark);

        Assert.Equal(14m, breakdown.Total);
        Assert.Equal(14.0m, breakdown.Percentage);
        Assert.Equal(["no-privacy-policy", "no-named-manager", "access-not-restricted"], breakdown.BlockingFindings.Select(finding => finding.Code));
    }

    [Fact]
    public void Qa_1_5_NoCertificate_ScoresNothingForCertification_WithoutBlocking()
    {
        ScoreBreakdown breakdown = Score(FavourableAnswers());

        Assert.Equal(0m, Of(breakdown, "certification").Score);
        Assert.Equal(86m, breakdown.Total);
        Assert.Empty(breakdown.BlockingFindings);
    }

    [Fact]
    public void Qa_1_5_ExpiredCertificate_ScoresNothing_AndIsABlockingFinding()
    {
        ScoreBreakdown breakdown = Score(FavourableAnswers(), ExpiredPrivacyMark);

        Assert.Equal(0m, Of(breakdown, "certification").Score);
        Finding finding = Assert.Single(breakdown.BlockingFindings);
        Assert.Equal(new Finding("certification", "expired-certificate", "PrivacyMark certificate expired on 2026-12-31"), finding);
    }

    [Fact]
    public void ExpiredCertificate_ReplacedByARenewedOneOfTheSameKind_IsNotAFinding()
    {
        ScoreBreakdown breakdown = Score(FavourableAnswers(), ExpiredPrivacyMark, ValidPrivacyMark);

        Assert.Equal(14m, Of(breakdown, "certification").Score);
        Assert.Empty(breakdown.BlockingFindings);
    }

    [Fact]
    public void Qa_1_5_Iso27001_2013Certificate_IsLapsed_EvenWithAValidPrivacyMark()
    {
        ScoreBreakdown breakdown = Score(FavourableAnswers(), Isms2013, ValidPrivacyMark);

        Assert.Equal(14m, Of(breakdown, "certification").Score);
        Assert.Equal(["lapsed-certificate"], breakdown.BlockingFindings.Select(finding => finding.Code));
    }

    [Fact]
    public void Qa_1_5_CertificateDueForRenewal_ScoresHalfTheWeight()
    {
        ScoreBreakdown breakdown = Score(FavourableAnswers(), ExpiringPrivacyMark);

        Assert.Equal(7m, Of(breakdown, "certification").Score);
        Assert.Empty(breakdown.BlockingFindings);
    }
}
