using System.Globalization;
using Supervision.Domain.Engagements;

namespace Supervision.Domain.Selection;

public enum RiskTier
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>One reason a contractor's tier is what it is, and the tier that reason alone would give.</summary>
public sealed record RiskReason(string Code, string Description, RiskTier Tier);

/// <summary>The tier and every reason behind it, so the supervisor can explain the decision (1-4).</summary>
public sealed record RiskAssessment(RiskTier Tier, IReadOnlyList<RiskReason> Reasons);

/// <summary>
/// Derives a risk tier from the data to be handed over (2-4), the selection score, subcontracting and certificates.
/// Each reason carries the tier it alone would give; the result is the highest of them, and <see cref="RiskTier.Critical"/>
/// when two or more reasons are each <see cref="RiskTier.High"/> (for example sensitive data that is also to be subcontracted).
/// </summary>
public static class RiskTiering
{
    /// <summary>
    /// From this many records in total a handover is a medium risk. A leak of over 1,000 people must be reported to the
    /// regulator; 100,000 is two orders above that, the scale of a whole region's customer list at a mid-sized operator.
    /// </summary>
    public const long MediumVolume = 100_000;

    /// <summary>From this many records in total a handover is a high risk: the scale of the large leaks of 7-1 and 7-2.</summary>
    public const long HighVolume = 1_000_000;

    /// <summary>Below this selection percentage the score alone makes the contractor a high risk.</summary>
    public const decimal HighRiskBelowPercent = 50m;

    /// <summary>Below this selection percentage (and at or above <see cref="HighRiskBelowPercent"/>) the score makes it a medium risk.</summary>
    public const decimal MediumRiskBelowPercent = 70m;

    public static RiskAssessment Tier(
        OnboardingRequest request,
        ScoreBreakdown score,
        bool intendsToSubcontract,
        IReadOnlyList<Certificate> certificates,
        DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(certificates);
        var reasons = new List<RiskReason>();

        if (request.HandlesSensitiveData)
            reasons.Add(new RiskReason("sensitive-data", "sensitive personal information (要配慮個人情報) is handed over", RiskTier.High));
        bool secondaryDamage = request.Datasets.Any(dataset => dataset.LeakCausesSecondaryDamage);
        if (secondaryDamage)
            reasons.Add(new RiskReason("secondary-damage", "a leak of the data could cause secondary damage (2-4)", RiskTier.High));

        string records = request.TotalRecords.ToString("N0", CultureInfo.InvariantCulture);
        if (request.TotalRecords >= HighVolume)
            reasons.Add(new RiskReason("volume", $"{records} records (at least 1,000,000)", RiskTier.High));
        else if (request.TotalRecords >= MediumVolume)
            reasons.Add(new RiskReason("volume", $"{records} records (at least 100,000)", RiskTier.Medium));

        if (intendsToSubcontract)
        {
            reasons.Add(request.HandlesSensitiveData || secondaryDamage
                ? new RiskReason("subcontracting", "subcontracting is intended for data that is sensitive or causes secondary damage (3-1)", RiskTier.High)
                : new RiskReason("subcontracting", "subcontracting is intended (3-1)", RiskTier.Medium));
        }

        AddCertificateReason(certificates, today, reasons);

        if (score.HasBlockingFindings)
        {
            string findings = string.Join("; ", score.BlockingFindings.Select(finding => finding.Description));
            reasons.Add(new RiskReason("blocking-findings", $"selection found: {findings}", RiskTier.High));
        }

        if (score.Percentage < HighRiskBelowPercent)
            reasons.Add(new RiskReason("low-score", $"selection score {score.Percentage.ToString(CultureInfo.InvariantCulture)} % is below {HighRiskBelowPercent} %", RiskTier.High));
        else if (score.Percentage < MediumRiskBelowPercent)
            reasons.Add(new RiskReason("low-score", $"selection score {score.Percentage.ToString(CultureInfo.InvariantCulture)} % is below {MediumRiskBelowPercent} %", RiskTier.Medium));

        RiskTier tier = reasons.Count == 0 ? RiskTier.Low : reasons.Max(reason => reason.Tier);
        if (reasons.Count(reason => reason.Tier >= RiskTier.High) >= 2)
            tier = RiskTier.Critical;
        return new RiskAssessment(tier, reasons);
    }

    private static void AddCertificateReason(IReadOnlyList<Certificate> certificates, DateOnly today, List<RiskReason> reasons)
    {
        var statuses = certificates.Select(certificate => CertificateRules.Status(certificate, today)).ToList();
        if (statuses.Contains(CertificateStatus.Valid))
            return;
        if (statuses.Contains(CertificateStatus.ExpiringSoon))
            reasons.Add(new RiskReason("certificate-expiring", "every certificate held is due for renewal", RiskTier.Medium));
        else if (statuses.Count > 0)
            reasons.Add(new RiskReason("certificate-expired", "every certificate presented has expired or lapsed", RiskTier.High));
        else
            reasons.Add(new RiskReason("no-certificate", "no Privacy Mark or ISMS certificate", RiskTier.Medium));
    }
}
