using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Selection;

namespace Supervision.Domain.Tests.Selection;

public sealed class RiskTieringTests
{
    private static readonly DateOnly Today = new(2027, 6, 1);
    private static readonly Certificate ValidPrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2027, 1, 1), new DateOnly(2028, 12, 31));
    private static readonly Certificate ExpiringPrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2025, 9, 1), new DateOnly(2027, 8, 31));
    private static readonly Certificate ExpiredPrivacyMark = new(CertificateKind.PrivacyMark, null, new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 31));

    private static Dataset Data(int records, bool sensitive = false, bool secondaryDamage = false) =>
        new("Customers", ["name", "address"], records, sensitive, secondaryDamage);

    private static OnboardingRequest Request(params Dataset[] datasets) => new(
        new Contractor("Acme DM Printing", null),
        new ContactPerson("Taro Yamada", "taro@example.co.jp", Language.Ja),
        "Direct mail",
        datasets,
        new DateOnly(2027, 7, 1),
        new DateOnly(2028, 6, 30));

    /// <summary>A score of <paramref name="points"/> out of 100 with the given blocking findings.</summary>
    private static ScoreBreakdown ScoreOf(decimal points, params Finding[] findings) =>
        new("2027.1", [new CriterionScore("all", points, 100, "test")], findings);

    private static RiskAssessment Tier(OnboardingRequest request, ScoreBreakdown? score = null, bool subcontract = false, params Certificate[] certificates) =>
        RiskTiering.Tier(request, score ?? ScoreOf(100m), subcontract, certificates.Length == 0 ? [ValidPrivacyMark] : certificates, Today);

    private static string[] Codes(RiskAssessment assessment) => [.. assessment.Reasons.Select(reason => reason.Code)];

    [Fact]
    public void SmallOrdinaryData_GoodScore_ValidCertificate_IsLow_WithNoReasons()
    {
        RiskAssessment assessment = Tier(Request(Data(1_000)));

        Assert.Equal(RiskTier.Low, assessment.Tier);
        Assert.Empty(assessment.Reasons);
    }

    [Theory]
    [InlineData(99_999, RiskTier.Low)]
    [InlineData(100_000, RiskTier.Medium)]
    [InlineData(999_999, RiskTier.Medium)]
    [InlineData(1_000_000, RiskTier.High)]
    public void Volume_IsMediumFrom100000Records_AndHighFromAMillion(int records, RiskTier expected)
    {
        Assert.Equal(expected, Tier(Request(Data(records))).Tier);
    }

    [Fact]
    public void Volume_CountsEveryDatasetTogether()
    {
        RiskAssessment assessment = Tier(Request(Data(60_000), Data(40_000)));

        Assert.Equal(RiskTier.Medium, assessment.Tier);
        Assert.Equal(new RiskReason("volume", "100,000 records (at least 100,000)", RiskTier.Medium), Assert.Single(assessment.Reasons));
    }

    [Fact]
    public void SensitiveData_IsHigh()
    {
        RiskAssessment assessment = Tier(Request(Data(10, sensitive: true)));

        Assert.Equal(RiskTier.High, assessment.Tier);
        Assert.Equal(["sensitive-data"], Codes(assessment));
    }

    [Fact]
    public void Qa_2_4_DataWhoseLeakCausesSecondaryDamage_IsHigh()
    {
        RiskAssessment assessment = Tier(Request(Data(10), Data(10, secondaryDamage: true)));

        Assert.Equal(RiskTier.High, assessment.Tier);
        Assert.Equal(["secondary-damage"], Codes(assessment));
    }

    [Fact]
    public void TwoHighReasons_MakeItCritical()
    {
        RiskAssessment assessment = Tier(Request(Data(10, sensitive: true, secondaryDamage: true)));

        Assert.Equal(RiskTier.Critical, assessment.Tier);
        Assert.Equal(["sensitive-data", "secondary-damage"], Codes(assessment));
    }

    [Fact]
    public void Qa_3_1_IntendedSubcontracting_IsMedium_ForOrdinaryData()
    {
        RiskAssessment assessment = Tier(Request(Data(1_000)), subcontract: true);

        Assert.Equal(RiskTier.Medium, assessment.Tier);
        Assert.Equal(["subcontracting"], Codes(assessment));
    }

    [Fact]
    public void Qa_3_1_IntendedSubcontracting_OfSensitiveData_IsCritical()
    {
        RiskAssessment assessment = Tier(Request(Data(1_000, sensitive: true)), subcontract: true);

        Assert.Equal(RiskTier.Critical, assessment.Tier);
        Assert.Equal([RiskTier.High, RiskTier.High], assessment.Reasons.Select(reason => reason.Tier));
    }

    [Fact]
    public void NoCertificate_IsMedium()
    {
        RiskAssessment assessment = RiskTiering.Tier(Request(Data(1_000)), ScoreOf(100m), false, [], Today);

        Assert.Equal(RiskTier.Medium, assessment.Tier);
        Assert.Equal(["no-certificate"], Codes(assessment));
    }

    [Fact]
    public void Qa_1_5_OnlyCertificatesDueForRenewal_IsMedium()
    {
        RiskAssessment assessment = Tier(Request(Data(1_000)), certificates: ExpiringPrivacyMark);

        Assert.Equal(RiskTier.Medium, assessment.Tier);
        Assert.Equal(["certificate-expiring"], Codes(assessment));
    }

    [Fact]
    public void Qa_1_5_OnlyExpiredCertificates_IsHigh()
    {
        RiskAssessment assessment = Tier(Request(Data(1_000)), certificates: ExpiredPrivacyMark);

        Assert.Equal(RiskTier.High, assessment.Tier);
        Assert.Equal(["certificate-expired"], Codes(assessment));
    }

    [Fact]
    public void AValidCertificateBesideAnExpiredOne_AddsNoCertificateReason()
    {
        Assert.Equal(RiskTier.Low, Tier(Request(Data(1_000)), certificates: [ExpiredPrivacyMark, ValidPrivacyMark]).Tier);
    }

    [Fact]
    public void BlockingFindings_AreHigh_AndNamed()
    {
        ScoreBreakdown score = ScoreOf(92m, new Finding("privacy-policy", "no-privacy-policy", "no privacy policy"));

        RiskAssessment assessment = Tier(Request(Data(1_000)), score);

        Assert.Equal(RiskTier.High, assessment.Tier);
        Assert.Equal(new RiskReason("blocking-findings", "selection found: no privacy policy", RiskTier.High), Assert.Single(assessment.Reasons));
    }

    [Theory]
    [InlineData(70, RiskTier.Low)]
    [InlineData(69.9, RiskTier.Medium)]
    [InlineData(50, RiskTier.Medium)]
    [InlineData(49.9, RiskTier.High)]
    public void LowScore_IsMediumBelow70Percent_AndHighBelow50(double percent, RiskTier expected)
    {
        Assert.Equal(expected, Tier(Request(Data(1_000)), ScoreOf((decimal)percent)).Tier);
    }

    [Fact]
    public void Qa_1_4_EveryReasonIsKept_InOrder_SoTheDecisionCanBeExplained()
    {
        ScoreBreakdown score = ScoreOf(60m);

        RiskAssessment assessment = Tier(Request(Data(2_000_000, secondaryDamage: true)), score, subcontract: true, ExpiringPrivacyMark);

        Assert.Equal(RiskTier.Critical, assessment.Tier);
        Assert.Equal(["secondary-damage", "volume", "subcontracting", "certificate-expiring", "low-score"], Codes(assessment));
    }
}
