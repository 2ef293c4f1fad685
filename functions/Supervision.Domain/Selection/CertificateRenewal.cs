using Supervision.Domain.Common;

namespace Supervision.Domain.Selection;

/// <summary>A certificate the contractor must show renewal evidence for, and why.</summary>
public sealed record RenewalDue(Certificate Certificate, CertificateStatus Status, DateWindow? Window);

/// <summary>Which of an engagement's certificates need renewal evidence on a given day (the daily sweep asks this).</summary>
public static class CertificateRenewal
{
    /// <summary>
    /// The certificates that are expiring soon, expired or lapsed on <paramref name="today"/>, or whose Privacy Mark
    /// renewal window (8 to 4 months before expiry) is open; a valid certificate outside its window needs nothing.
    /// </summary>
    public static IReadOnlyList<RenewalDue> Due(IEnumerable<Certificate> certificates, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var due = new List<RenewalDue>();
        foreach (Certificate certificate in certificates)
        {
            CertificateStatus status = CertificateRules.Status(certificate, today);
            DateWindow? window = CertificateRules.RenewalWindow(certificate);
            if (status != CertificateStatus.Valid || window?.Contains(today) == true)
                due.Add(new RenewalDue(certificate, status, window));
        }

        return due;
    }

    /// <summary>The ISMS edition a recertification is to: the transition to the 2022 edition has ended.</summary>
    public const string CurrentIsmsEdition = "ISO/IEC 27001:2022";

    /// <summary>
    /// The certificate that follows <paramref name="previous"/> when the contractor reports it renewed to
    /// <paramref name="expiresOn"/>: valid from the day after the old one ends, an ISMS one to the current edition.
    /// Null, with the reasons, when the new expiry is not after the old one or longer than the kind's validity.
    /// </summary>
    public static Certificate? Renewed(Certificate previous, DateOnly expiresOn, out ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(previous);
        errors = new ValidationErrors();
        if (expiresOn <= previous.ExpiresOn)
        {
            errors.Add("renewedExpiresOn", $"must be after the current expiry, {previous.ExpiresOn:yyyy-MM-dd}.");
            return null;
        }

        DateOnly effective = previous.ExpiresOn.AddDays(1);
        int years = CertificateRules.ValidityYears(previous.Kind);
        if (expiresOn > effective.AddYears(years))
        {
            errors.Add("renewedExpiresOn", $"must be at most {years} years after the renewal takes effect on {effective:yyyy-MM-dd}.");
            return null;
        }

        return new Certificate(previous.Kind, previous.Kind == CertificateKind.Isms ? CurrentIsmsEdition : previous.Edition, effective, expiresOn);
    }

    /// <summary><paramref name="certificates"/> with <paramref name="previous"/> replaced by <paramref name="renewed"/>; unchanged if it is no longer there.</summary>
    public static IReadOnlyList<Certificate> Replace(IReadOnlyList<Certificate> certificates, Certificate previous, Certificate renewed) =>
        [.. certificates.Select(certificate => certificate == previous ? renewed : certificate)];
}
