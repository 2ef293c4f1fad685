using System.Globalization;
using System.Text.RegularExpressions;
using Supervision.Domain.Common;

namespace Supervision.Domain.Selection;

public enum CertificateKind
{
    /// <summary>プライバシーマーク (JIS Q 15001), valid 2 years.</summary>
    PrivacyMark,

    /// <summary>ISMS, ISO/IEC 27001 (JIS Q 27001), valid 3 years with yearly surveillance audits.</summary>
    Isms,
}

/// <summary>A certification the contractor holds (1-5: 認証取得状況), a fact with dates. <see cref="Edition"/> is the edition of the standard, e.g. "ISO/IEC 27001:2022".</summary>
public sealed record Certificate(CertificateKind Kind, string? Edition, DateOnly IssuedOn, DateOnly ExpiresOn);

public enum CertificateStatus
{
    Valid,

    /// <summary>Still valid, but renewal is due: a Privacy Mark inside its renewal window, an ISMS certificate within six months of its end.</summary>
    ExpiringSoon,

    /// <summary>Past its printed expiry.</summary>
    Expired,

    /// <summary>An ISO/IEC 27001:2013 (or older) certificate after the transition deadline, whatever its printed expiry.</summary>
    Lapsed,
}

/// <summary>The dates between which a renewal is filed.</summary>
public sealed record DateWindow(DateOnly Opens, DateOnly Closes)
{
    public bool Contains(DateOnly date) => date >= Opens && date <= Closes;
}

public static partial class CertificateRules
{
    public const int PrivacyMarkValidityYears = 2;
    public const int IsmsValidityYears = 3;

    /// <summary>The Privacy Mark renewal is filed from 8 months to 4 months before expiry.</summary>
    public const int PrivacyMarkRenewalOpensMonthsBefore = 8;
    public const int PrivacyMarkRenewalClosesMonthsBefore = 4;

    /// <summary>An ISMS certificate counts as expiring within this many months of its end (recertification audit due).</summary>
    public const int IsmsExpiringSoonMonths = 6;

    /// <summary>Certificates to ISO/IEC 27001:2013 lapsed after this day, the end of the transition to the 2022 edition.</summary>
    public static readonly DateOnly Iso27001TransitionDeadline = new(2025, 10, 31);

    /// <summary>The 2022 edition was published on this day: a certificate issued before it with no edition given was to an older one.</summary>
    public static readonly DateOnly Iso27001Edition2022Published = new(2022, 10, 25);

    [GeneratedRegex(@"(19|20)\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex YearPattern();

    /// <summary>
    /// The status of a certificate on <paramref name="today"/>; the expiry day itself is still valid.
    /// An ISMS certificate to the 2013 (or an older) edition is <see cref="CertificateStatus.Lapsed"/> after 2025-10-31, and
    /// counts as expiring before that as if the deadline were its expiry.
    /// </summary>
    public static CertificateStatus Status(Certificate certificate, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        bool superseded = IsSupersededEdition(certificate);
        if (superseded && today > Iso27001TransitionDeadline)
            return CertificateStatus.Lapsed;

        DateOnly end = superseded && Iso27001TransitionDeadline < certificate.ExpiresOn ? Iso27001TransitionDeadline : certificate.ExpiresOn;
        if (today > end)
            return CertificateStatus.Expired;

        DateOnly soon = certificate.Kind == CertificateKind.PrivacyMark
            ? certificate.ExpiresOn.AddMonths(-PrivacyMarkRenewalOpensMonthsBefore)
            : end.AddMonths(-IsmsExpiringSoonMonths);
        return today >= soon ? CertificateStatus.ExpiringSoon : CertificateStatus.Valid;
    }

    /// <summary>The window in which a Privacy Mark renewal is filed: 8 to 4 months before expiry. Null for ISMS, renewed by a recertification audit.</summary>
    public static DateWindow? RenewalWindow(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Kind == CertificateKind.PrivacyMark
            ? new DateWindow(
                certificate.ExpiresOn.AddMonths(-PrivacyMarkRenewalOpensMonthsBefore),
                certificate.ExpiresOn.AddMonths(-PrivacyMarkRenewalClosesMonthsBefore))
            : null;
    }

    /// <summary>
    /// True for an ISMS certificate to an edition older than ISO/IEC 27001:2022: the edition names a year before 2022,
    /// or no edition is given and it was issued before the 2022 edition existed.
    /// </summary>
    public static bool IsSupersededEdition(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Kind != CertificateKind.Isms)
            return false;
        if (string.IsNullOrWhiteSpace(certificate.Edition))
            return certificate.IssuedOn < Iso27001Edition2022Published;

        MatchCollection years = YearPattern().Matches(certificate.Edition);
        if (years.Count == 0)
            return certificate.IssuedOn < Iso27001Edition2022Published;
        int year = int.Parse(years[^1].Value, CultureInfo.InvariantCulture);
        return year < 2022;
    }

    public static int ValidityYears(CertificateKind kind) => kind == CertificateKind.PrivacyMark ? PrivacyMarkValidityYears : IsmsValidityYears;

    /// <summary>The dates are consistent with the kind: expiry after issue, and no longer than the kind's validity.</summary>
    public static ValidationErrors Validate(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var errors = new ValidationErrors();
        if (certificate.ExpiresOn <= certificate.IssuedOn)
            errors.Add("expiresOn", "must be after issuedOn.");
        int years = ValidityYears(certificate.Kind);
        if (certificate.ExpiresOn > certificate.IssuedOn.AddYears(years))
            errors.Add("expiresOn", $"must be at most {years} years after issuedOn for this kind of certificate.");
        return errors;
    }
}
