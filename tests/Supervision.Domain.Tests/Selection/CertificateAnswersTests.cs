using Supervision.Domain.Selection;

namespace Supervision.Domain.Tests.Selection;

public sealed class CertificateAnswersTests
{
    private static Dictionary<string, string?> Answers(params (string Id, string? Value)[] answers) =>
        answers.ToDictionary(answer => answer.Id, answer => answer.Value, StringComparer.Ordinal);

    [Fact]
    public void Qa_1_5_NoCertificateDates_MeanNoCertificates_AndNothingRefused()
    {
        (IReadOnlyList<Certificate> certificates, IReadOnlyList<string> refused) = CertificateAnswers.Read(Answers(("certification.held", "no")));

        Assert.Empty(certificates);
        Assert.Empty(refused);
    }

    [Fact]
    public void Qa_1_5_APrivacyMarkAndAnIsmsCertificate_AreReadWithTheirDatesAndEdition()
    {
        (IReadOnlyList<Certificate> certificates, IReadOnlyList<string> refused) = CertificateAnswers.Read(Answers(
            (CertificateAnswers.PrivacyMarkIssued, "2026-04-01"),
            (CertificateAnswers.PrivacyMarkExpires, "2028-03-31"),
            (CertificateAnswers.IsmsEdition, " ISO/IEC 27001:2022 "),
            (CertificateAnswers.IsmsIssued, "2025-06-01"),
            (CertificateAnswers.IsmsExpires, "2028-05-31")));

        Assert.Empty(refused);
        Assert.Equal(
            [
                new Certificate(CertificateKind.PrivacyMark, null, new DateOnly(2026, 4, 1), new DateOnly(2028, 3, 31)),
                new Certificate(CertificateKind.Isms, "ISO/IEC 27001:2022", new DateOnly(2025, 6, 1), new DateOnly(2028, 5, 31)),
            ],
            certificates);
    }

    [Theory]
    [InlineData(null, "2028-03-31")]
    [InlineData("2026-04-01", null)]
    [InlineData("2026-04-01", "31/03/2028")]
    public void Qa_1_5_ACertificateWithoutBothDates_IsRefused_NotCounted(string? issued, string? expires)
    {
        (IReadOnlyList<Certificate> certificates, IReadOnlyList<string> refused) = CertificateAnswers.Read(Answers(
            (CertificateAnswers.PrivacyMarkIssued, issued), (CertificateAnswers.PrivacyMarkExpires, expires)));

        Assert.Empty(certificates);
        Assert.Contains("PrivacyMark", Assert.Single(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_1_5_APrivacyMarkValidForMoreThanTwoYears_IsRefused()
    {
        (IReadOnlyList<Certificate> certificates, IReadOnlyList<string> refused) = CertificateAnswers.Read(Answers(
            (CertificateAnswers.PrivacyMarkIssued, "2026-04-01"), (CertificateAnswers.PrivacyMarkExpires, "2029-03-31")));

        Assert.Empty(certificates);
        Assert.Contains("2 years", Assert.Single(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_1_5_ACertificateStatedAndExpired_IsReadSoScoringCanRefuseIt()
    {
        (IReadOnlyList<Certificate> certificates, _) = CertificateAnswers.Read(Answers(
            (CertificateAnswers.PrivacyMarkIssued, "2024-04-01"), (CertificateAnswers.PrivacyMarkExpires, "2026-03-31")));
        DateOnly today = new(2026, 11, 30);

        Certificate read = Assert.Single(certificates);
        Assert.Equal(CertificateStatus.Expired, CertificateRules.Status(read, today));
        ScoreBreakdown score = SelectionScoring.Score(DefaultSelectionCriteria.V1, new Dictionary<string, string?>(), certificates, today);
        Assert.Equal(0m, score.Criteria.Single(criterion => criterion.CriterionId == "certification").Score);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData(null, false)]
    public void Qa_3_1_TheIntentToSubcontract_IsReadFromItsAnswer(string? answer, bool intends)
    {
        Assert.Equal(intends, CertificateAnswers.IntendsToSubcontract(Answers((CertificateAnswers.SubcontractingIntended, answer))));
    }
}
